package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

  /**
   * A batch run in two parts (batch norm per part, gradients accumulated) takes the mean of the
   * steps each half would take as a batch of its own: the data-parallel split of several devices,
   * exercised on one.
   */
  @Test
  void partsAccumulateTheMeanGradientOfTheirHalves() throws Exception {
    HostBatch whole = batch(5);
    int half = whole.size() / 2;
    float[] afterWhole = trainOneStep(whole, 16);
    float[] afterFirst = trainOneStep(slice(whole, 0, half), 16);
    float[] afterSecond = trainOneStep(slice(whole, half, half), 16);
    float[] before = trainOneStep(null, 16);
    double largestUpdate = 0;
    for (int i = 0; i < afterWhole.length; i++) {
      float expected = (afterFirst[i] + afterSecond[i]) / 2;
      assertThat(afterWhole[i]).as("parameter value %d", i).isCloseTo(expected, within(1e-5f));
      largestUpdate = Math.max(largestUpdate, Math.abs(afterWhole[i] - before[i]));
    }
    assertThat(largestUpdate).isGreaterThan(1e-3); // the step did move the weights
  }

  /**
   * The flat-buffer update and the per-tensor one (DJL's parameter store and server) leave
   * bit-identical weights, batch-norm statistics and momentum after k steps, in parts too, and the
   * momentum saved from one restores into the other.
   */
  @Test
  void theFusedUpdateIsBitIdenticalToThePerTensorOne() throws Exception {
    List<HostBatch> batches = List.of(batch(11), batch(12), batch(13));
    Trained perTensor = train(batches, false, 16);
    Trained fused = train(batches, true, 16);
    assertThat(fused.parameters()).hasSameSizeAs(perTensor.parameters());
    for (int i = 0; i < perTensor.parameters().size(); i++) {
      assertThat(fused.parameters().get(i)).as("parameter " + i).containsExactly(perTensor.parameters().get(i));
    }
    assertThat(fused.momentum()).isEqualTo(perTensor.momentum());
    assertThat(fused.momentum().buffers()).hasSize(perTensor.momentum().buffers().size()).isNotEmpty();
  }

  private record Trained(List<float[]> parameters, io.rotnet.trainer.optim.MomentumState momentum) {}

  /** Every parameter (batch-norm statistics included) and the momentum after the batches. */
  private static Trained train(List<HostBatch> batches, boolean fused, int partSize) throws Exception {
    try (Model model = Model.newInstance("fused", Device.cpu(), "PyTorch")) {
      Engine.getInstance().setRandomSeed(0);
      RotNetModel net = RotNetModel.newInitialized(PRESET.modelSpec(), model.getNDManager());
      model.setBlock(net);
      io.rotnet.trainer.optim.MomentumState momentum;
      try (NDManager state = model.getNDManager().newSubManager();
          MomentumSgd sgd =
              MomentumSgd.builder().setParameters(net.getParameters()).setStateManager(state).build()) {
        try (TrainingStep step = TrainingStep.builder().setModel(model).setOptimizer(sgd)
            .optPartSize(partSize).optFusedUpdate(fused).build()) {
          for (HostBatch batch : batches) {
            step.run(batch, 0.1);
          }
        }
        momentum = sgd.state();
      }
      List<float[]> values = new ArrayList<>();
      for (var parameter : net.getParameters().values()) {
        values.add(parameter.getArray().toFloatArray());
      }
      return new Trained(values, momentum);
    }
  }

  @Test
  void partsMustSplitIntoWholeRotationGroupsOverTheDevices() throws Exception {
    try (Model model = Model.newInstance("parts", Device.cpu(), "PyTorch");
        NDManager state = model.getNDManager().newSubManager()) {
      RotNetModel net = RotNetModel.newInitialized(PRESET.modelSpec(), model.getNDManager());
      model.setBlock(net);
      MomentumSgd sgd =
          MomentumSgd.builder().setParameters(net.getParameters()).setStateManager(state).build();
      try (TrainingStep step =
          TrainingStep.builder().setModel(model).setOptimizer(sgd).optPartSize(12).build()) {
        assertThat(step.partsOf(48)).isEqualTo(4);
        assertThat(step.partsOf(12)).isEqualTo(1);
        assertThatThrownBy(() -> step.partsOf(36 + 4)) // 10 groups in parts of 3 groups
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cannot be split");
      }
      assertThatThrownBy(() -> TrainingStep.builder().optPartSize(6))
          .isInstanceOf(IllegalArgumentException.class);
      sgd.close();
    }
  }

  @Test
  void settingsRefuseABatchTheStepCouldNotSplit() {
    TrainingPreset reference = TrainingPresets.RESNET50_STEPLR_70E; // 8 parts of 64
    TrainerSettings.Builder threeDevices =
        TrainerSettings.builder()
            .setRunId("r")
            .setCheckpointRoot(java.nio.file.Path.of("unused"))
            .setPreset(reference)
            .setKafka(new KafkaSettings("localhost:9092", "http://localhost:8081", "r"))
            .optDevices(List.of(Device.cpu(), Device.gpu(0), Device.gpu(1)));
    assertThatThrownBy(threeDevices::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be split into 8 equal parts over 3 device(s)");
    assertThat(TrainingStep.partsOf(512, 64, 2)).isEqualTo(8);
    assertThat(TrainingStep.partsOf(32, 64, 2)).isEqualTo(2);
  }

  /** Trainable parameter values after one step at learning rate 1 on {@code batch} (none: initial). */
  private static float[] trainOneStep(HostBatch batch, int partSize) throws Exception {
    try (Model model = Model.newInstance("parts", Device.cpu(), "PyTorch")) {
      Engine.getInstance().setRandomSeed(0);
      RotNetModel net = RotNetModel.newInitialized(PRESET.modelSpec(), model.getNDManager());
      model.setBlock(net);
      try (NDManager state = model.getNDManager().newSubManager();
          MomentumSgd sgd =
              MomentumSgd.builder().setParameters(net.getParameters()).setStateManager(state).build();
          TrainingStep step =
              TrainingStep.builder().setModel(model).setOptimizer(sgd).optPartSize(partSize).build()) {
        if (batch != null) {
          step.run(batch, 1.0);
        }
      }
      List<Float> values = new ArrayList<>();
      for (var parameter : net.getParameters().values()) {
        if (parameter.requiresGradient()) {
          for (float value : parameter.getArray().toFloatArray()) {
            values.add(value);
          }
        }
      }
      float[] out = new float[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i);
      }
      return out;
    }
  }

  /** Images {@code from .. from + count} of a batch, as a batch of their own. */
  private static HostBatch slice(HostBatch batch, int from, int count) {
    int floats = 3 * batch.inputSize() * batch.inputSize();
    float[] pixels = java.util.Arrays.copyOfRange(batch.pixels(), from * floats, (from + count) * floats);
    return new HostBatch(
        pixels,
        count,
        batch.inputSize(),
        batch.sampleIds().subList(from / 4, (from + count) / 4),
        0,
        0.1,
        0,
        StreamPosition.beginning(),
        null);
  }
}
