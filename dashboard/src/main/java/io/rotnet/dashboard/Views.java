package io.rotnet.dashboard;

import io.rotnet.dashboard.DashboardState.CheckpointMark;
import io.rotnet.dashboard.DashboardState.GroupLag;
import io.rotnet.dashboard.DashboardState.GroupPosition;
import io.rotnet.dashboard.DashboardState.Letter;
import io.rotnet.dashboard.DashboardState.Snapshot;
import io.rotnet.dashboard.DashboardState.TallyView;
import io.rotnet.dashboard.DashboardState.TrainingPoint;
import io.rotnet.dashboard.DashboardState.Unreadable;
import io.rotnet.evaluator.results.ResultsTable;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the page draws, as plain records that serialize to the JSON API: training series per run,
 * benchmark charts, the latest-results table and pipeline health. Built from one {@link Snapshot}.
 */
final class Views {

  /** Metrics that get a chart over checkpoints; other rows (top5, mAP-std, ...) are in the table's downloads. */
  static final List<String> CHART_METRICS = List.of("mAP", "mAP-mean", "top1", "AP50", "mIoU");
  /** Benchmarks in the seed page's order; others follow by name. */
  static final List<String> BENCHMARK_ORDER = List.of("svm", "lowshot-svm", "linear-mhead", "linear-avgpool",
      "knn", "detection-voc", "detection-coco", "segmentation-voc");
  private static final String BEST_TAP = "best:";
  private static final String VARIANT_SEPARATOR = "/k=";

  private Views() {}

  /** Everything the page draws, at one version. */
  record State(long version, Instant generatedAt, List<Run> runs, List<Chart> benchmarks, Table table,
      Health health) {}

  /** Training of one run: columns of equal length, one entry per metrics record, by step. */
  record Run(String run, Series series, List<Checkpoint> checkpoints, Latest latest) {}

  record Series(List<Long> step, List<Integer> epoch, List<Double> loss, List<Double> rotationAccuracy,
      List<Double> learningRate, List<Double> imagesPerSecond, List<Long> imagesSeen, List<Long> recordedAt) {}

  record Checkpoint(String checkpointId, long step, int epoch, Double pretextLoss, Double pretextAccuracy,
      Instant createdAt) {}

  record Latest(long step, int epoch, Double loss, Double rotationAccuracy, Double learningRate,
      Double imagesPerSecond, long imagesSeen, Instant recordedAt) {}

  /**
   * Results of one benchmark on one dataset over checkpoints, for one metric (and one {@code k}
   * of low-shot): {@code steps} is the x axis, each line has one value per step (null where that
   * checkpoint has none); references are the seed's published values for the same rows.
   */
  record Chart(String id, String benchmark, String dataset, String metric, String variant, List<Long> steps,
      List<Line> lines, List<ReferenceLine> references) {}

  record Line(String name, String run, String tap, List<Double> values) {}

  record ReferenceLine(String tap, double value, String label) {}

  /** The latest results as {@code rotnet results} shows them. */
  record Table(String dataset, List<String> header, List<List<String>> rows, String legend, String text) {}

  record Health(Instant lagCheckedAt, String lagError, List<Group> consumerLag, List<Tally> deadLetters,
      List<Tally> unreadable, List<Evaluation> evaluations) {}

  /**
   * A consumer group's lag; {@code lag} is null for a run whose trainer has not committed yet (it
   * commits its offsets with every checkpoint).
   */
  record Group(String group, String kind, String state, int members, Long lag, Map<String, Long> lagByTopic) {}

  /** Per topic: dead letters ({@link Letter}) or records the dashboard could not read ({@link Unreadable}). */
  record Tally(String topic, long count, List<?> latest) {}

  /**
   * An evaluator group's next checkpoint: running (the group has members) since the later of the
   * event's time and the group's last result, with how many more checkpoints wait behind it.
   */
  record Evaluation(String group, boolean running, String checkpointId, String run, Long step, Instant since,
      double seconds, long waiting) {}

  static State state(Snapshot s, SeedReferences references) {
    return new State(s.version(), s.takenAt(), runs(s), charts(s.results(), references), table(s), health(s));
  }

  static List<Run> runs(Snapshot s) {
    List<Run> runs = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(s.training().keySet());
    names.addAll(s.checkpoints().keySet());
    for (String name : names) {
      List<TrainingPoint> points = s.training().getOrDefault(name, List.of());
      Series series = new Series(
          points.stream().map(TrainingPoint::step).toList(),
          points.stream().map(TrainingPoint::epoch).toList(),
          points.stream().map(p -> finite(p.loss())).toList(),
          points.stream().map(p -> finite(p.rotationAccuracy())).toList(),
          points.stream().map(p -> finite(p.learningRate())).toList(),
          points.stream().map(p -> finite(p.imagesPerSecond())).toList(),
          points.stream().map(TrainingPoint::imagesSeen).toList(),
          points.stream().map(p -> p.recordedAt().toEpochMilli()).toList());
      List<Checkpoint> checkpoints = s.checkpoints().getOrDefault(name, List.of()).stream()
          .map(c -> new Checkpoint(c.checkpointId(), c.step(), c.epoch(), finite(c.pretextLoss()),
              finite(c.pretextAccuracy()), c.createdAt()))
          .toList();
      Latest latest = null;
      if (!points.isEmpty()) {
        TrainingPoint p = points.get(points.size() - 1);
        latest = new Latest(p.step(), p.epoch(), finite(p.loss()), finite(p.rotationAccuracy()),
            finite(p.learningRate()), finite(p.imagesPerSecond()), p.imagesSeen(), p.recordedAt());
      }
      runs.add(new Run(name, series, checkpoints, latest));
    }
    return runs;
  }

  static List<Chart> charts(List<EvalResult> results, SeedReferences references) {
    Map<String, ChartBuilder> charts = new TreeMap<>();
    for (EvalResult result : results) {
      for (EvalRow row : result.getRows()) {
        String tap = row.getTap();
        if (tap.startsWith(BEST_TAP) || !CHART_METRICS.contains(row.getMetric())) {
          continue;
        }
        String variant = null;
        int split = tap.indexOf(VARIANT_SEPARATOR);
        if (split >= 0) {
          variant = tap.substring(split + 1);
          tap = tap.substring(0, split);
        }
        String key = String.join("|", result.getBenchmark(), result.getDataset(), row.getMetric(),
            variant == null ? "" : variant);
        String v = variant;
        charts.computeIfAbsent(key, k -> new ChartBuilder(result.getBenchmark(), result.getDataset(),
                row.getMetric(), v))
            .add(result.getRunId(), result.getStep(), tap, row.getValue());
      }
    }
    List<ChartBuilder> ordered = new ArrayList<>(charts.values());
    ordered.sort(Comparator.<ChartBuilder>comparingInt(c -> benchmarkRank(c.benchmark))
        .thenComparing(c -> c.benchmark).thenComparing(c -> c.dataset).thenComparing(c -> c.metric)
        .thenComparingInt(c -> c.variant == null ? -1 : kOf(c.variant)));
    return ordered.stream().map(c -> c.build(references)).toList();
  }

  private static int benchmarkRank(String benchmark) {
    int rank = BENCHMARK_ORDER.indexOf(benchmark);
    return rank < 0 ? BENCHMARK_ORDER.size() : rank;
  }

  /** The number of {@code k=K} (taps and variants), for ordering; large when not a number. */
  static int kOf(String text) {
    String digits = text.startsWith("k=") ? text.substring(2) : text;
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static final class ChartBuilder {
    final String benchmark;
    final String dataset;
    final String metric;
    final String variant;
    final TreeSet<Long> steps = new TreeSet<>();
    final Map<String, Map<Long, Double>> byLine = new LinkedHashMap<>();
    final Map<String, String[]> runAndTap = new LinkedHashMap<>();
    final TreeSet<String> runs = new TreeSet<>();

    ChartBuilder(String benchmark, String dataset, String metric, String variant) {
      this.benchmark = benchmark;
      this.dataset = dataset;
      this.metric = metric;
      this.variant = variant;
    }

    void add(String run, long step, String tap, double value) {
      String key = run + "\u0000" + tap;
      steps.add(step);
      runs.add(run);
      byLine.computeIfAbsent(key, k -> new TreeMap<>()).put(step, value);
      runAndTap.putIfAbsent(key, new String[] {run, tap});
    }

    Chart build(SeedReferences references) {
      List<Long> xs = List.copyOf(steps);
      List<String> keys = new ArrayList<>(byLine.keySet());
      keys.sort(Comparator.<String, String>comparing(k -> runAndTap.get(k)[0])
          .thenComparingInt(k -> kOf(runAndTap.get(k)[1])).thenComparing(k -> runAndTap.get(k)[1]));
      List<Line> lines = new ArrayList<>();
      for (String key : keys) {
        String run = runAndTap.get(key)[0];
        String tap = runAndTap.get(key)[1];
        Map<Long, Double> values = byLine.get(key);
        List<Double> ys = new ArrayList<>();
        for (Long x : xs) {
          Double y = values.get(x);
          ys.add(y == null ? null : finite(y));
        }
        lines.add(new Line(runs.size() > 1 ? run + " " + tap : tap, run, tap, ys));
      }
      List<ReferenceLine> refs = references.of(benchmark, dataset, metric, variant).stream()
          .map(r -> new ReferenceLine(r.tap(), r.value(), r.label())).toList();
      String id = String.join("/", benchmark, dataset, metric) + (variant == null ? "" : "/" + variant);
      return new Chart(id, benchmark, dataset, metric, variant, xs, lines, refs);
    }
  }

  static Table table(Snapshot s) {
    ResultsTable results = new ResultsTable(s.results(), s.latestMetrics());
    ResultsTable.Grid grid = results.grid();
    return new Table(grid.dataset(), grid.header(), grid.rows(), ResultsTable.CELLS_LEGEND, results.table());
  }

  static Health health(Snapshot s) {
    List<Group> groups = new ArrayList<>(s.lag().stream()
        .map(g -> new Group(g.group(), g.kind(), g.state(), g.members(), g.total(), g.lagByTopic())).toList());
    if (s.lagCheckedAt() != null) {
      for (String run : s.training().keySet()) {
        String group = LagMonitor.TRAINER_PREFIX + run;
        if (groups.stream().noneMatch(g -> g.group().equals(group))) {
          groups.add(new Group(group, "trainer", "no commit yet (at the first checkpoint)", 0, null, Map.of()));
        }
      }
    }
    return new Health(s.lagCheckedAt(), s.lagError(), groups, tallies(s.deadLetters()), tallies(s.unreadable()),
        evaluations(s));
  }

  private static <T> List<Tally> tallies(Map<String, TallyView<T>> byTopic) {
    List<Tally> out = new ArrayList<>();
    byTopic.forEach((topic, t) -> out.add(new Tally(topic, t.count(), t.latest())));
    return out;
  }

  static List<Evaluation> evaluations(Snapshot s) {
    Map<String, Instant> lastFinished = new TreeMap<>();
    for (EvalResult r : s.results()) {
      lastFinished.merge(groupIdOf(r.getBenchmark(), r.getDataset()), r.getFinishedAt(),
          (a, b) -> a.isAfter(b) ? a : b);
    }
    List<Evaluation> out = new ArrayList<>();
    for (GroupPosition position : s.evaluatorPositions()) {
      if (position.committed() >= position.end()) {
        continue;
      }
      NavigableMap<Long, CheckpointMark> onPartition = s.checkpointsByOffset().get(position.partition());
      Map.Entry<Long, CheckpointMark> next = onPartition == null ? null : onPartition.ceilingEntry(position.committed());
      if (next == null || next.getKey() >= position.end()) {
        continue; // only markers or unreadable events left: nothing to evaluate
      }
      CheckpointMark mark = next.getValue();
      long waiting = onPartition.subMap(next.getKey(), false, position.end(), false).size();
      Instant since = mark.createdAt();
      Instant finished = lastFinished.get(position.group());
      if (finished != null && finished.isAfter(since)) {
        since = finished;
      }
      double seconds = Math.max(0, Duration.between(since, s.takenAt()).toMillis() / 1000.0);
      out.add(new Evaluation(position.group(), position.active(), mark.checkpointId(), mark.runId(), mark.step(),
          since, seconds, waiting));
    }
    return out;
  }

  /** The consumer group of an evaluator (as the evaluator service names it). */
  static String groupIdOf(String benchmark, String dataset) {
    return LagMonitor.EVALUATOR_PREFIX + benchmark + "-" + dataset;
  }

  static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
