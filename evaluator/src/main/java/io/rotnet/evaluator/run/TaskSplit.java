package io.rotnet.evaluator.run;

import io.rotnet.model.Tap;
import io.rotnet.schemas.avro.EvalRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one benchmark's work on one checkpoint splits into independent tasks that different
 * instances can run, and how their rows merge back into the rows of one whole run. A task only
 * narrows the benchmark's settings (which taps, which k), so each runs the benchmark's own code:
 *
 * <ul>
 *   <li>svm: one task per tap ({@code featureN}); the {@code best:} row is chosen again over the
 *       merged taps, the first of equal mAPs in tap order, as {@code SvmResult.best} does;
 *   <li>lowshot-svm: one task per tap and k ({@code featureN/k=K}); draws are seeded by (k,
 *       sample, class), so a task draws what the whole run draws;
 *   <li>linear-mhead: one task per tap (each head trains on its own tap);
 *   <li>knn: one task ({@code all}), or with {@code knnTrainTasks} = n > 1 one task per n-th of
 *       the train bank ({@code train-shard-I-of-N}): each extracts only its train rows (and every
 *       query), and its part is every query's top-k among those rows ({@link
 *       io.rotnet.evaluator.benchmark.TopKMerge} merges them exactly; the vote runs once, on the
 *       merged lists);
 *   <li>linear-avgpool: one task ({@code all}).
 * </ul>
 */
public final class TaskSplit {
  /** The name of the single task of a benchmark that does not split. */
  public static final String WHOLE = "all";
  private static final String BEST = "best:";

  private TaskSplit() {}

  /** The task names, in the order their rows appear in the merged result. */
  public static List<String> tasks(BenchmarkSettings settings) {
    List<String> tasks = new ArrayList<>();
    switch (settings.kind()) {
      case SVM, LINEAR_MHEAD -> settings.taps().forEach(tap -> tasks.add(tap.label()));
      case LOWSHOT_SVM -> {
        for (Tap tap : settings.taps()) {
          for (int k : settings.lowShotShots()) {
            tasks.add(tap.label() + "/k=" + k);
          }
        }
      }
      case KNN -> {
        int n = settings.knnTrainTasks();
        if (n == 1) {
          tasks.add(WHOLE);
        }
        for (int i = 1; n > 1 && i <= n; i++) {
          tasks.add(new TrainShard(i, n).task());
        }
      }
      default -> tasks.add(WHOLE);
    }
    return tasks;
  }

  /** The benchmark's settings narrowed to one task. */
  public static BenchmarkSettings settingsOf(BenchmarkSettings settings, String task) {
    if (!tasks(settings).contains(task)) {
      throw new IllegalArgumentException(settings.kind().label() + " has no task '" + task + "'; its tasks are "
          + tasks(settings));
    }
    if (task.equals(WHOLE) || TrainShard.of(task).isPresent()) {
      return settings;
    }
    int slash = task.indexOf("/k=");
    String label = slash < 0 ? task : task.substring(0, slash);
    Tap tap = settings.taps().stream().filter(t -> t.label().equals(label)).findFirst().orElseThrow();
    BenchmarkSettings narrowed = settings.withTaps(EnumSet.of(tap));
    if (slash >= 0) {
      narrowed = narrowed.withLowShot(new int[] {Integer.parseInt(task.substring(slash + 3))}, settings.lowShotSamples());
    }
    return narrowed;
  }

  /**
   * Shard {@code index} (from 1) of {@code count} of the kNN train bank: rows {@code [first,
   * end)}, the n-th part of the rows rounded down at both ends, so the shards cover every row once.
   */
  public record TrainShard(int index, int count) {
    private static final Pattern NAME = Pattern.compile("train-shard-(\\d+)-of-(\\d+)");

    public TrainShard {
      if (count < 1 || index < 1 || index > count) {
        throw new IllegalArgumentException("train shard " + index + " of " + count);
      }
    }

    /** The shard a task name stands for; empty for a task of another kind. */
    public static Optional<TrainShard> of(String task) {
      Matcher m = NAME.matcher(task);
      return m.matches() ? Optional.of(new TrainShard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
          : Optional.empty();
    }

    public String task() {
      return "train-shard-" + index + "-of-" + count;
    }

    public long first(long rows) {
      return rows * (index - 1) / count;
    }

    public long end(long rows) {
      return rows * index / count;
    }
  }

  /** Concatenates the tasks' rows in task order; for svm, the best tap is picked again. */
  public static List<EvalRow> merge(BenchmarkSettings settings, Map<String, List<EvalRow>> rowsByTask) {
    List<String> tasks = tasks(settings);
    if (!rowsByTask.keySet().equals(new java.util.HashSet<>(tasks))) {
      throw new IllegalArgumentException("merging tasks " + rowsByTask.keySet() + ", expected " + tasks);
    }
    List<EvalRow> merged = new ArrayList<>();
    EvalRow best = null;
    for (String task : tasks) {
      for (EvalRow row : rowsByTask.get(task)) {
        if (settings.kind() == BenchmarkKind.SVM && row.getTap().startsWith(BEST)) {
          continue;
        }
        merged.add(row);
        if (settings.kind() == BenchmarkKind.SVM && (best == null || row.getValue() > best.getValue())) {
          best = row;
        }
      }
    }
    if (best != null) {
      merged.add(EvalRow.newBuilder(best).setTap(BEST + best.getTap()).build());
    }
    return merged;
  }
}
