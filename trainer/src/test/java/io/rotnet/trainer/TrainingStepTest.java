package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.model.RotNetModel;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.input.ImageNormalization;
import io.rotnet.trainer.input.PixelDecoder;
import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.optim.MomentumSgd;
import io.rotnet.trainer.testing.Scenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingStepTest {

  private static final TrainingPreset PRESET =
      TrainingPresets.TINY_CPU.toBuilder().batchSize(32).build();

  private static HostBatch batch(long seed) throws Exception {
    int size = PRESET.inputSize();
    PixelDecoder decoder = new PixelDecoder(size, ImageNormalization.IMAGENET);
    float[] pixels = new float[PRESET.batchSize() * decoder.floatsPerImage()];
    List<String> ids = new ArrayList<>();
    Random random = new Random(seed);
    for (int g = 0; g < PRESET.groupsPerBatch(); g++) {
      List<RotatedImage> views = Scenes.group("s" + g, 0, g, 100, Scenes.scene(random, size), size);
      ids.add(views.get(0).getSampleId());
      for (int r = 0; r < 4; r++) {
        decoder.decodeInto(views.get(r), pixels, (4 * g + r) * decoder.floatsPerImage());
      }
    }
    return new HostBatch(
        pixels, PRESET.batchSize(), size, ids, 0, 0.1, 0, StreamPosition.beginning(), null);
  }

  @Test
  void stepsLowerTheLossAndLeaveNoArraysBehind() throws Exception {
    HostBatch batch = batch(3);
    try (Model model = Model.newInstance("step-test", Device.cpu(), "PyTorch")) {
      Engine.getInstance().setRandomSeed(0);
      RotNetModel net = RotNetModel.newInitialized(PRESET.modelSpec(), model.getNDManager());
      model.setBlock(net);
      try (NDManager state = model.getNDManager().newSubManager();
          MomentumSgd sgd =
              MomentumSgd.builder()
                  .setParameters(net.getParameters())
                  .setStateManager(state)
                  .build();
          TrainingStep step =
              TrainingStep.builder()
                  .setModel(model)
                  .setOptimizer(sgd)
                  .optDevices(List.of(Device.cpu()))
                  .build()) {
        StepResult first = step.run(batch, 0.05);
        assertThat(first.images()).isEqualTo(PRESET.batchSize());
        assertThat(first.loss()).isBetween(0.5, 3.0); // about ln 4 for an untrained head
        step.run(batch, 0.05);
        int arrays = model.getNDManager().getManagedArrays().size();
        StepResult last = first;
        for (int i = 0; i < 4; i++) {
          last = step.run(batch, 0.05);
        }
        assertThat(model.getNDManager().getManagedArrays()).hasSize(arrays);
        assertThat(last.loss()).isLessThan(first.loss());
        assertThat(last.learningRate()).isEqualTo(0.05);
        assertThat(sgd.learningRate()).isEqualTo(0.05f);
      }
    }
  }
}
