package io.rotnet.dense.detection.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.VocDetection;
import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import io.rotnet.model.RotNetModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short tiny C4 fine-tune on written scenes trains from a checkpoint's ResNet and scores AP50. */
class VocDetectionFineTuneTest {
  @TempDir Path dir;

  @Test
  void aShortFineTuneOnScenesScoresAp50AndLeavesNoState() throws Exception {
    Path scenes = dir.resolve("scenes");
    SceneGenerator.builder().optImages(10).optSize(96).build().write(scenes);
    VocDetection data = VocDetection.open("scenes", scenes);
    ModelSpec spec = new ModelSpec(18, 8, 32, 4);
    DetectorConfig config = DetectionPresets.tinyC4().withBackbone(spec.depth(), spec.widthDivisor())
        .withClasses(data.classes().size()).withIterations(4);
    Path state = dir.resolve("state/voc.state");
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet resNet = (ResNet) RotNetModel.newInitialized(spec, manager).backbone();
      VocDetectionFineTune.Result result =
          new VocDetectionFineTune(config, data, 1, state, "key", 2).run(resNet, manager);
      assertThat(result.iterations()).isEqualTo(4);
      assertThat(result.ap50().meanAp()).isBetween(0.0, 1.0);
      assertThat(result.ap50().classAp()).hasSize(data.classes().size());
    }
    assertThat(Files.exists(state)).isFalse();
  }

  @Test
  void anInterruptedFineTuneResumesAndScoresAsTheUninterruptedOne() throws Exception {
    Path scenes = dir.resolve("scenes");
    SceneGenerator.builder().optImages(10).optSize(96).build().write(scenes);
    VocDetection data = VocDetection.open("scenes", scenes);
    ModelSpec spec = new ModelSpec(18, 8, 32, 4);
    DetectorConfig config = DetectionPresets.tinyC4().withBackbone(spec.depth(), spec.widthDivisor())
        .withClasses(data.classes().size()).withIterations(4);
    Path state = dir.resolve("state/voc.state");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      ResNet resNet = (ResNet) RotNetModel.newInitialized(spec, manager).backbone();
      VocDetectionFineTune.Result straight = new VocDetectionFineTune(config, data, 1, null, "", 100).run(resNet, manager);
      assertThat(new VocDetectionFineTune(config, data, 1, state, "key", 100).stopAt(2).run(resNet, manager)).isNull();
      assertThat(state).exists();
      VocDetectionFineTune.Result resumed = new VocDetectionFineTune(config, data, 1, state, "key", 100).run(resNet, manager);
      assertThat(resumed.resumedFrom()).isEqualTo(2);
      assertThat(resumed.ap50().meanAp()).isCloseTo(straight.ap50().meanAp(), org.assertj.core.api.Assertions.within(0.02));
    }
    assertThat(Files.exists(state)).isFalse();
  }
}
