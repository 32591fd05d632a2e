package io.rotnet.evaluator.run;

import io.rotnet.model.Tap;
import io.rotnet.schemas.avro.EvalRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

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
 *   <li>knn, linear-avgpool: one task ({@code all}).
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
    if (task.equals(WHOLE)) {
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
