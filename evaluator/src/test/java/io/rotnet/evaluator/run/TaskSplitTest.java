package io.rotnet.evaluator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.model.Tap;
import io.rotnet.schemas.avro.EvalRow;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSplitTest {

  @Test
  void svmSplitsByTapLowShotByTapAndKTheOthersNot() {
    BenchmarkSettings lowShot = BenchmarkSettings.defaults(BenchmarkKind.LOWSHOT_SVM)
        .withTaps(EnumSet.of(Tap.FEATURE2, Tap.FEATURE4)).withLowShot(new int[] {1, 8}, 3);

    assertThat(TaskSplit.tasks(BenchmarkSettings.defaults(BenchmarkKind.SVM)))
        .containsExactly("feature1", "feature2", "feature3", "feature4", "feature5");
    assertThat(TaskSplit.tasks(lowShot)).containsExactly("feature2/k=1", "feature2/k=8", "feature4/k=1", "feature4/k=8");
    assertThat(TaskSplit.tasks(BenchmarkSettings.defaults(BenchmarkKind.KNN))).containsExactly(TaskSplit.WHOLE);

    BenchmarkSettings one = TaskSplit.settingsOf(lowShot, "feature4/k=8");
    assertThat(one.taps()).containsExactly(Tap.FEATURE4);
    assertThat(one.lowShotShots()).containsExactly(8);
    assertThat(one.lowShotSamples()).isEqualTo(3);
    assertThatThrownBy(() -> TaskSplit.settingsOf(lowShot, "feature1/k=8")).hasMessageContaining("no task");
  }

  @Test
  void knnSplitsItsTrainBankIntoShardsThatCoverEveryRowOnce() {
    BenchmarkSettings knn = BenchmarkSettings.defaults(BenchmarkKind.KNN).withKnnTrainTasks(3);

    assertThat(TaskSplit.tasks(knn)).containsExactly("train-shard-1-of-3", "train-shard-2-of-3", "train-shard-3-of-3");
    assertThat(TaskSplit.settingsOf(knn, "train-shard-2-of-3")).isSameAs(knn);
    assertThatThrownBy(() -> TaskSplit.settingsOf(knn, "train-shard-2-of-4")).hasMessageContaining("no task");
    assertThat(TaskSplit.TrainShard.of("feature3")).isEmpty();
    for (long rows : new long[] {0, 2, 10, 1_281_167, 5_000_000_000L}) {
      long next = 0;
      for (String task : TaskSplit.tasks(knn)) {
        TaskSplit.TrainShard shard = TaskSplit.TrainShard.of(task).orElseThrow();
        assertThat(shard.first(rows)).isEqualTo(next);
        assertThat(shard.end(rows) - shard.first(rows)).isBetween(rows / 3, rows / 3 + 1);
        next = shard.end(rows);
      }
      assertThat(next).isEqualTo(rows);
    }
    assertThatThrownBy(() -> new TaskSplit.TrainShard(4, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mergedSvmRowsFollowTapOrderAndPickTheBestTapAgain() {
    BenchmarkSettings svm = BenchmarkSettings.defaults(BenchmarkKind.SVM).withTaps(EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3));
    Map<String, List<EvalRow>> parts = Map.of(
        "feature3", List.of(row("feature3", 40), row("best:feature3", 40)),
        "feature1", List.of(row("feature1", 55), row("best:feature1", 55)),
        "feature2", List.of(row("feature2", 55), row("best:feature2", 55)));

    List<EvalRow> merged = TaskSplit.merge(svm, parts);

    assertThat(merged).extracting(EvalRow::getTap).containsExactly("feature1", "feature2", "feature3", "best:feature1");
    assertThat(merged.get(3).getValue()).isEqualTo(55.0);
    assertThatThrownBy(() -> TaskSplit.merge(svm, Map.of("feature1", List.of()))).hasMessageContaining("expected");
  }

  private static EvalRow row(String tap, double value) {
    return EvalRow.newBuilder().setTap(tap).setMetric("mAP").setValue(value).build();
  }
}
