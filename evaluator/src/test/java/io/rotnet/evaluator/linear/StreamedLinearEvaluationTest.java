package io.rotnet.evaluator.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.ProbeResult;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.run.Fixtures;
import io.rotnet.model.ResNet;
import io.rotnet.model.RotNetModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamedLinearEvaluationTest {
  /** The ImageNet multi-head protocol, shortened by values only: 4 epochs, batch 16. */
  static final LinearPreset MHEAD = LinearPreset.IMAGENET_MHEAD_90E.derived("test-mhead", 4, 0, 0).withBatchSize(16);

  @TempDir static Path dir;
  static EvalDataset shapes;
  static NDManager manager;
  static ResNet backbone;

  @BeforeAll
  static void randomBackboneAndShapes() throws Exception {
    shapes = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 48, 24)).open();
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
    backbone = (ResNet) RotNetModel.newInitialized(Fixtures.TINY, manager).backbone();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static StreamedLinearEvaluation.Builder evaluation(LinearPreset preset) {
    return StreamedLinearEvaluation.builder().setBackbone(backbone).setManager(manager).setPreset(preset)
        .optSeed(3).optWorkers(2);
  }

  @Test
  void linearlySeparableClassesAreLearnedByEveryHeadThroughTheStreamedPath() throws Exception {
    // dark, bright and striped images stay apart under any crop, flip, jitter and lighting
    LinearOutcome outcome = evaluation(MHEAD).build().run(shapes, "separable");

    assertThat(outcome.heads()).extracting(ProbeResult::tap)
        .containsExactly("feature1", "feature2", "feature3", "feature4", "feature5");
    assertThat(outcome.heads().get(0).top1()).isEqualTo(100.0);
    for (ProbeResult head : outcome.heads()) {
      assertThat(head.top1()).as(head.tap()).isGreaterThanOrEqualTo(90.0);
      assertThat(head.top5()).as(head.tap()).isEqualTo(100.0);
      double[] loss = head.epochLoss();
      assertThat(loss).hasSize(4);
      assertThat(loss[3]).as(head.tap()).isLessThan(Math.log(3)); // below chance
    }
    assertThat(outcome.unreadableTrain()).isZero();
    assertThat(outcome.resumedAt()).isNull();
  }

  @Test
  void aRunStoppedPartWayResumesToTheSameHeadsBitForBit() throws Exception {
    // 2 epochs of 3 batches of 8 images
    LinearPreset twoEpochs = LinearPreset.IMAGENET_MHEAD_90E.derived("test-mhead-2e", 2, 0, 0).withBatchSize(8);
    EvalDataset small = DatasetSpec.parse("small=idx:" + Fixtures.idxDataset(dir.resolve("small"), 24, 9)).open();
    LinearPreset preset = LinearPreset.IMAGENET_AVGPOOL_100E.derived("test-avgpool", 1, 0, 0).withBatchSize(8);
    Path whole = dir.resolve("state-whole");
    Path stopped = dir.resolve("state-stopped");
    LinearOutcome uninterrupted = evaluation(twoEpochs).optStateDir(whole).build().run(small, "resume");

    // the "kill": interrupted after step 5 (epoch 2, batch 2); the last save was after step 4
    int[] steps = {0};
    StreamedLinearEvaluation killed = evaluation(twoEpochs).optStateDir(stopped).optSaveEvery(2)
        .optStepListener((epoch, batch) -> {
          if (++steps[0] == 5) {
            Thread.currentThread().interrupt();
          }
        }).build();
    assertThatThrownBy(() -> killed.run(small, "resume")).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    LinearOutcome resumed = evaluation(twoEpochs).optStateDir(stopped).optSaveEvery(2).build().run(small, "resume");

    assertThat(resumed.resumedAt()).containsExactly(1, 1);
    float[][][] expected = onlyState(whole, 2).heads;
    float[][][] actual = onlyState(stopped, 2).heads;
    assertThat(actual.length).isEqualTo(5);
    for (int h = 0; h < expected.length; h++) {
      for (int a = 0; a < expected[h].length; a++) {
        assertThat(actual[h][a]).as("head %d array %d", h, a).containsExactly(expected[h][a]);
      }
    }
    for (int h = 0; h < 5; h++) {
      assertThat(resumed.heads().get(h).epochLoss()).containsExactly(uninterrupted.heads().get(h).epochLoss());
      assertThat(resumed.heads().get(h).top1()).isEqualTo(uninterrupted.heads().get(h).top1());
    }
    // another run key never takes this state
    assertThat(evaluation(preset).optStateDir(stopped).build().run(small, "resume").resumedAt()).isNull();
  }

  static LinearState onlyState(Path stateDir, int epochs) throws Exception {
    try (Stream<Path> runs = Files.list(stateDir)) {
      List<Path> dirs = runs.toList();
      assertThat(dirs).hasSize(1);
      LinearState state = LinearState.read(dirs.get(0)).orElseThrow();
      assertThat(state.epoch).isEqualTo(epochs);
      return state;
    }
  }
}
