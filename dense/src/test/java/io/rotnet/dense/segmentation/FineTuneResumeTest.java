package io.rotnet.dense.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.Voc12AugSegmentation;
import io.rotnet.dense.scenes.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuneResumeTest {
  @TempDir Path dir;

  @Test
  void anInterruptedFineTuneResumesFromItsStateAndEndsWhereAnUninterruptedOneDoes() throws Exception {
    SceneGenerator.builder().optImages(5).optSize(32).optSeed(9).build().write(dir.resolve("scenes"));
    Voc12AugSegmentation data = Voc12AugSegmentation.open("s", dir.resolve("scenes"));
    SegmentationPreset preset = SegmentationPreset.TINY.withIterations(4).withBatchSize(2).withCheckpointEvery(100);
    Path state = dir.resolve("state/run.state");
    try (NDManager manager = NDManager.newBaseManager()) {
      SegmentationFineTune.Result straight = SegmentationFineTune.builder().setPreset(preset)
          .setData(data.train(), data.val(), data.classes()).optSeed(5).build()
          .run(SegmentationLearningTest.backbone(manager, 4), manager);

      SegmentationFineTune.Builder interrupted = SegmentationFineTune.builder().setPreset(preset)
          .setData(data.train(), data.val(), data.classes()).optSeed(5).optState(state, "key-a");
      assertThat(interrupted.optStopAt(2).build().run(SegmentationLearningTest.backbone(manager, 4), manager)).isNull();
      assertThat(state).exists();
      // another key (another checkpoint or preset) does not take the state
      assertThat(FineTuneState.read(state, "key-b")).isNull();
      SegmentationFineTune.Result resumed = interrupted.optStopAt(0).build()
          .run(SegmentationLearningTest.backbone(manager, 99), manager); // the state wins over these weights
      assertThat(resumed.resumedFrom()).isEqualTo(2);
      assertThat(resumed.lastLoss()).isCloseTo(straight.lastLoss(), org.assertj.core.api.Assertions.within(1e-4));
      assertThat(resumed.iou().classIou()).containsExactly(straight.iou().classIou(),
          org.assertj.core.api.Assertions.within(1e-6));
      assertThat(Files.exists(state)).isFalse();
    }
  }
}
