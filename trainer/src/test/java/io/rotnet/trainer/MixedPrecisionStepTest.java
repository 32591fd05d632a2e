package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.checkpoint.RunCheckpoints;
import io.rotnet.trainer.checkpoint.TrainerState;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.input.ImageNormalization;
import io.rotnet.trainer.input.PixelDecoder;
import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.optim.MomentumSgd;
import io.rotnet.trainer.precision.LossScaler;
import io.rotnet.trainer.precision.LossScaling;
import io.rotnet.trainer.precision.Precision;
import io.rotnet.trainer.testing.Scenes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reduced-precision training steps on the CPU: fp16 (the engine's CPU kernels implement it, slowly)
 * with float32 master weights and dynamic loss scaling; bf16 refused up front.
 */
class MixedPrecisionStepTest {

  private static final TrainingPreset PRESET =
      TrainingPresets.TINY_CPU.toBuilder().batchSize(32).build();
  private static final int SIZE = PRESET.inputSize();

  @TempDir Path checkpoints;

  /** A batch of whole rotation groups of synthetic scenes. */
  private static HostBatch batch(long seed, int groups) throws Exception {
    PixelDecoder decoder = new PixelDecoder(SIZE, ImageNormalization.IMAGENET);
    float[] pixels = new float[groups * 4 * decoder.floatsPerImage()];
    List<String> ids = new ArrayList<>();
    Random random = new Random(seed);
    for (int g = 0; g < groups; g++) {
      List<RotatedImage> views =
          Scenes.group(seed + "-" + g, 0, g, 100, Scenes.scene(random, SIZE), SIZE);
      ids.add(views.get(0).getSampleId());
      for (int r = 0; r < 4; r++) {
        decoder.decodeInto(views.get(r), pixels, (4 * g + r) * decoder.floatsPerImage());
      }
    }
    return new HostBatch(
        pixels, groups * 4, SIZE, ids, 0, 0.1, 0, StreamPosition.beginning(), null);
  }

  /** A freshly seeded tiny model with its optimizer. */
  private static final class Trainee implements AutoCloseable {
    final Model model = Model.newInstance("mixed-precision-test", Device.cpu(), "PyTorch");
    final RotNetModel net;
    final NDManager optimizerState;
    final MomentumSgd sgd;

    Trainee() {
      Engine.getInstance().setRandomSeed(0);
      net = RotNetModel.newInitialized(PRESET.modelSpec(), model.getNDManager());
      model.setBlock(net);
      optimizerState = model.getNDManager().newSubManager();
      sgd =
          MomentumSgd.builder()
              .setParameters(net.getParameters())
              .setStateManager(optimizerState)
              .build();
    }

    TrainingStep.Builder step(Precision precision) {
      return TrainingStep.builder().setModel(model).setOptimizer(sgd).optPrecision(precision);
    }

    Map<String, float[]> trainableValues() {
      Map<String, float[]> values = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : net.getParameters()) {
        if (p.getValue().requiresGradient()) {
          values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
      }
      return values;
    }

    @Override
    public void close() {
      sgd.close();
      optimizerState.close();
      model.close();
    }
  }

  @Test
  void fp16StepsTrainFloat32MastersAndLearnLikeFp32() throws Exception {
    List<HostBatch> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(batch(i, 4));
    }
    HostBatch heldOut = batch(1000, 16);
    double[] accuracy = new double[2];
    StepResult[] firstSteps = new StepResult[2];
    int[] skipped = new int[2];
    Precision[] precisions = {Precision.FP32, Precision.FP16};
    for (int k = 0; k < 2; k++) {
      try (Trainee trainee = new Trainee();
          TrainingStep step = trainee.step(precisions[k]).build()) {
        int arrays = -1;
        for (int i = 0; i < 12; i++) {
          StepResult result = step.run(batches.get(i % batches.size()), 0.05);
          if (result.skipped()) {
            skipped[k]++;
          }
          if (i == 0) {
            firstSteps[k] = result;
          } else if (i == 1) {
            arrays = trainee.model.getNDManager().getManagedArrays().size();
          }
        }
        // Nothing of the steps' working copies, casts or gradients is left behind.
        assertThat(trainee.model.getNDManager().getManagedArrays()).hasSize(arrays);
        for (Pair<String, Parameter> p : trainee.net.getParameters()) {
          assertThat(p.getValue().getArray().getDataType()).isEqualTo(DataType.FLOAT32);
        }
        accuracy[k] = accuracy(trainee.net, heldOut);
      }
    }
    // fp32 never scales nor skips; fp16 may skip a step or two while its scale settles.
    assertThat(skipped[0]).isZero();
    assertThat(skipped[1]).isLessThanOrEqualTo(2);
    // Same initial weights, same batch: the first loss differs only by fp16 rounding.
    assertThat(firstSteps[1].loss()).isCloseTo(firstSteps[0].loss(), within(0.01));
    // Trained on 4 batches, both rotate scenes they never saw right (chance: 25%).
    assertThat(accuracy[0]).isGreaterThan(0.9);
    assertThat(accuracy[1]).isGreaterThan(0.9);
  }

  /**
   * Rotation accuracy, in float32, normalizing with the batch's own statistics: after a dozen
   * steps the running averages (momentum 0.1) still remember the initial weights, whereas the
   * weights themselves have learned. A batch holds all four views of each scene, so its
   * statistics say nothing about the labels.
   */
  private static double accuracy(RotNetModel net, HostBatch batch) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray images = manager.create(batch.pixels(), new Shape(batch.size(), 3, SIZE, SIZE));
      NDArray logits = net.logits(new ParameterStore(manager, false), images, true);
      long[] predicted = logits.argMax(1).toLongArray();
      int[] labels = batch.labels();
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == labels[i]) {
          correct++;
        }
      }
      return (double) correct / predicted.length;
    }
  }

  @Test
  void anOverflowingStepIsSkippedAndLeavesTheWeightsAlone() throws Exception {
    HostBatch batch = batch(7, 4);
    // 2^40 times the loss overflows fp16's gradients (max 65504) at once.
    LossScaler scaler = new LossScaling(0x1p40f, 2000).newScaler();
    try (Trainee trainee = new Trainee();
        TrainingStep step = trainee.step(Precision.FP16).optLossScaler(scaler).build()) {
      Map<String, float[]> before = trainee.trainableValues();
      StepResult result = step.run(batch, 0.05);
      assertThat(result.skipped()).isTrue();
      assertThat(result.loss()).isBetween(0.5, 3.0);
      assertThat(scaler.scale()).isEqualTo(0x1p39f);
      assertThat(scaler.skippedSteps()).isEqualTo(1);
      Map<String, float[]> after = trainee.trainableValues();
      assertThat(after.keySet()).isEqualTo(before.keySet());
      before.forEach((name, values) -> assertThat(after.get(name)).as(name).isEqualTo(values));
      assertThat(trainee.sgd.state().buffers()).isEmpty();
      // No overflowed gradient is left to leak into the next step.
      for (Pair<String, Parameter> p : trainee.net.getParameters()) {
        NDArray weight = p.getValue().getArray();
        if (p.getValue().requiresGradient()) {
          try (NDArray gradient = weight.getGradient()) {
            assertThat(gradient.abs().sum().getFloat()).as(p.getKey()).isZero();
          }
        }
      }
    }
  }

  @Test
  void anFp16CheckpointLoadsIntoAFloat32Model() throws Exception {
    RunCheckpoints run = new RunCheckpoints(checkpoints, "fp16");
    WrittenCheckpoint written;
    float[] trainedLogits;
    LossScaler.State scalerState;
    HostBatch probe = batch(11, 4);
    try (Trainee trainee = new Trainee();
        TrainingStep step = trainee.step(Precision.FP16).build()) {
      for (int i = 0; i < 3; i++) {
        step.run(batch(i, 4), 0.05);
      }
      scalerState = step.lossScaler().orElseThrow().state();
      TrainerState state =
          new TrainerState(
              3,
              48,
              0.3,
              StreamPosition.decode("images 0 48\n"),
              OptionalInt.empty(),
              PRESET.name(),
              1.0,
              0.5,
              Precision.FP16,
              Optional.of(scalerState));
      written = run.write(trainee.net, PRESET.modelSpec(), state, trainee.sgd.state());
      trainedLogits = logits(trainee.net, probe);
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      LoadedCheckpoint loaded =
          new CheckpointReader(checkpoints)
              .load(written.location(), PRESET.modelSpec(), null, manager);
      for (Pair<String, Parameter> p : loaded.model().getParameters()) {
        assertThat(p.getValue().getArray().getDataType()).isEqualTo(DataType.FLOAT32);
      }
      assertThat(logits(loaded.model(), probe)).isEqualTo(trainedLogits);
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Engine.getInstance().setRandomSeed(5);
      RotNetModel fresh = RotNetModel.newInitialized(PRESET.modelSpec(), manager);
      TrainerState resumed = run.resume(fresh, manager).orElseThrow().state();
      assertThat(resumed.precision()).isEqualTo(Precision.FP16);
      assertThat(resumed.lossScaler()).contains(scalerState);
    }
  }

  private static float[] logits(RotNetModel net, HostBatch batch) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray images = manager.create(batch.pixels(), new Shape(batch.size(), 3, SIZE, SIZE));
      return net.logits(new ParameterStore(manager, false), images, false).toFloatArray();
    }
  }

  @Test
  void bf16IsRefusedBeforeAnyArrayIsMade() {
    try (Trainee trainee = new Trainee()) {
      assertThatThrownBy(() -> trainee.step(Precision.BF16).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bf16 is not available")
          .hasMessageContaining("use fp16");
    }
  }

  @Test
  void onlyFp16TakesALossScaler() {
    try (Trainee trainee = new Trainee()) {
      assertThatThrownBy(
              () ->
                  trainee
                      .step(Precision.FP32)
                      .optLossScaler(LossScaling.defaults().newScaler())
                      .build())
          .hasMessageContaining("fp16 only");
      try (TrainingStep fp32 = trainee.step(Precision.FP32).build()) {
        assertThat(fp32.lossScaler()).isEmpty();
      }
    }
  }
}
