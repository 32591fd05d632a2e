package io.rotnet.dashboard;

import io.rotnet.dashboard.DashboardState.Snapshot;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The state in Prometheus' text exposition format (version 0.0.4), every name prefixed {@code
 * rotnet_}: training rate and progress per run, consumer lag per group and topic, dead letters
 * and unreadable records per topic, evaluation durations per benchmark and dataset, and how long
 * the current evaluations have run.
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  private PrometheusText() {}

  static String of(Snapshot s) {
    PrometheusText text = new PrometheusText();
    text.write(s);
    return text.out.toString();
  }

  private void write(Snapshot s) {
    List<TrainingMetrics> runs = s.latestMetrics();
    perRun(runs, "rotnet_training_images_per_second", "gauge",
        "Training rate of the latest metrics record, rotated images per second.", TrainingMetrics::getImagesPerSecond);
    perRun(runs, "rotnet_training_step", "gauge", "Latest training step reported.", m -> m.getStep());
    perRun(runs, "rotnet_training_images_seen", "counter", "Rotated images trained on so far.", m -> m.getImagesSeen());
    perRun(runs, "rotnet_training_loss", "gauge", "Latest pretext loss.", TrainingMetrics::getLoss);
    perRun(runs, "rotnet_training_rotation_accuracy", "gauge", "Latest rotation accuracy (0..1).",
        TrainingMetrics::getRotationAccuracy);
    perRun(runs, "rotnet_training_learning_rate", "gauge", "Latest learning rate.", TrainingMetrics::getLearningRate);
    family("rotnet_checkpoints", "counter", "Checkpoint events seen per run.");
    s.checkpoints().forEach((run, marks) -> sample("rotnet_checkpoints", marks.size(), "run", run));

    family("rotnet_consumer_lag", "gauge", "Records a consumer group has not yet committed, per topic.");
    s.lag().forEach(g -> g.lagByTopic().forEach((topic, lag) ->
        sample("rotnet_consumer_lag", lag, "group", g.group(), "kind", g.kind(), "topic", topic)));
    family("rotnet_consumer_group_members", "gauge", "Members of a consumer group.");
    s.lag().forEach(g -> sample("rotnet_consumer_group_members", g.members(), "group", g.group(), "kind", g.kind()));

    family("rotnet_dead_letters", "counter", "Dead letters per dead-letter topic.");
    s.deadLetters().forEach((topic, t) -> sample("rotnet_dead_letters", t.count(), "topic", topic));
    family("rotnet_dashboard_unreadable_records", "counter", "Records of a topic the dashboard reads that did not decode.");
    s.unreadable().forEach((topic, t) -> sample("rotnet_dashboard_unreadable_records", t.count(), "topic", topic));

    Map<String, double[]> durations = new TreeMap<>();
    Map<String, Double> last = new TreeMap<>();
    Map<String, Long> lastStep = new TreeMap<>();
    for (EvalResult r : s.results()) {
      String key = r.getBenchmark() + "\u0000" + r.getDataset();
      double seconds = Duration.between(r.getStartedAt(), r.getFinishedAt()).toMillis() / 1000.0;
      double[] sumCount = durations.computeIfAbsent(key, k -> new double[2]);
      sumCount[0] += seconds;
      sumCount[1]++;
      if (r.getStep() >= lastStep.getOrDefault(key, Long.MIN_VALUE)) {
        lastStep.put(key, r.getStep());
        last.put(key, seconds);
      }
    }
    family("rotnet_evaluation_duration_seconds", "summary", "How long the benchmark took per checkpoint (latest result per key).");
    durations.forEach((key, sc) -> {
      String[] bd = key.split("\u0000", 2);
      sample("rotnet_evaluation_duration_seconds_sum", sc[0], "benchmark", bd[0], "dataset", bd[1]);
      sample("rotnet_evaluation_duration_seconds_count", sc[1], "benchmark", bd[0], "dataset", bd[1]);
    });
    family("rotnet_evaluation_last_duration_seconds", "gauge", "Duration of the evaluation of the newest checkpoint.");
    last.forEach((key, seconds) -> {
      String[] bd = key.split("\u0000", 2);
      sample("rotnet_evaluation_last_duration_seconds", seconds, "benchmark", bd[0], "dataset", bd[1]);
    });
    List<Views.Evaluation> running = new ArrayList<>(Views.evaluations(s));
    family("rotnet_evaluation_running_seconds", "gauge", "How long an evaluator group's current checkpoint has been waiting or running.");
    running.forEach(e -> sample("rotnet_evaluation_running_seconds", e.seconds(), "group", e.group(),
        "checkpoint", e.checkpointId()));
    family("rotnet_evaluation_waiting_checkpoints", "gauge", "Checkpoints waiting behind the current one, per evaluator group.");
    running.forEach(e -> sample("rotnet_evaluation_waiting_checkpoints", e.waiting(), "group", e.group()));
  }

  private void perRun(List<TrainingMetrics> runs, String name, String type, String help,
      ToDoubleFunction<TrainingMetrics> value) {
    family(name, type, help);
    runs.forEach(m -> sample(name, value.applyAsDouble(m), "run", m.getRunId()));
  }

  private void family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, double value, String... labels) {
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%s", value);
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
