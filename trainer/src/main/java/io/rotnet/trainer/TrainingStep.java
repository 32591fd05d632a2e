package io.rotnet.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.optim.MomentumSgd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step on a host batch: copy to the devices, forward, softmax cross-entropy,
 * backward, SGD update. With several devices the batch is split into equal parts of whole rotation
 * groups (data parallel: each device normalizes its own part, as one GPU per replica does in the
 * reference), each part's loss is weighted by its share so the reduced gradient is the gradient of
 * the whole batch's mean loss, and DJL's parameter server sums the gradients onto the first device
 * before the update.
 *
 * <p>Every array a step creates lives in a per-step sub-manager closed at the end of the step.
 */
public final class TrainingStep implements AutoCloseable {

  private final Model model;
  private final Trainer trainer;
  private final MomentumSgd optimizer;
  private final Device[] devices;
  private final Loss loss = Loss.softmaxCrossEntropyLoss();
  private ByteBuffer staging;

  /**
   * @param model the model whose block is the initialized network
   * @param optimizer updates the parameters; its learning rate is set at each step
   * @param devices where the batch parts run; the first holds the model's parameters
   */
  public TrainingStep(Model model, MomentumSgd optimizer, List<Device> devices) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("at least one device is required");
    }
    this.model = model;
    this.optimizer = optimizer;
    this.devices = devices.toArray(new Device[0]);
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(this.devices);
    this.trainer = model.newTrainer(config);
  }

  /** Trains on the batch with this learning rate and returns loss and accuracy. */
  public StepResult run(HostBatch batch, double learningRate) {
    int images = batch.size();
    int parts = devices.length;
    if ((images / 4) % parts != 0) {
      throw new IllegalArgumentException(
          images / 4 + " rotation groups cannot be split evenly over " + parts + " devices");
    }
    int perPart = images / parts;
    int imageFloats = 3 * batch.inputSize() * batch.inputSize();
    ByteBuffer pixels = stage(batch.pixels(), images * imageFloats);
    int[] labels = batch.labels();
    optimizer.setLearningRate((float) learningRate);

    try (NDManager step = model.getNDManager().newSubManager()) {
      List<NDArray> losses = new ArrayList<>(parts);
      List<NDArray> corrects = new ArrayList<>(parts);
      try (GradientCollector collector = trainer.newGradientCollector()) {
        for (int p = 0; p < parts; p++) {
          NDManager onDevice = step.newSubManager(devices[p]);
          ByteBuffer slice = pixels.duplicate().order(ByteOrder.nativeOrder());
          slice.position(p * perPart * imageFloats * Float.BYTES);
          slice.limit((p + 1) * perPart * imageFloats * Float.BYTES);
          NDArray x =
              onDevice.create(
                  slice.slice().order(ByteOrder.nativeOrder()),
                  new Shape(perPart, 3, batch.inputSize(), batch.inputSize()),
                  DataType.FLOAT32);
          long[] partLabels = new long[perPart];
          for (int i = 0; i < perPart; i++) {
            partLabels[i] = labels[p * perPart + i];
          }
          NDArray y = onDevice.create(partLabels);
          NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray partLoss = loss.evaluate(new NDList(y), new NDList(logits));
          NDArray weighted = parts == 1 ? partLoss : partLoss.mul((float) perPart / images);
          collector.backward(weighted);
          losses.add(weighted.toDevice(devices[0], false));
          corrects.add(
              logits
                  .argMax(1)
                  .eq(y)
                  .sum()
                  .toType(DataType.INT64, false)
                  .toDevice(devices[0], false));
        }
      }
      trainer.step();
      double meanLoss = 0;
      long correct = 0;
      for (int p = 0; p < parts; p++) {
        meanLoss += losses.get(p).getFloat();
        correct += corrects.get(p).getLong();
      }
      if (!Double.isFinite(meanLoss)) {
        throw new IllegalStateException("training diverged: loss is " + meanLoss);
      }
      return new StepResult(meanLoss, correct, images, learningRate);
    }
  }

  /** Copies the batch into a reused direct buffer that the input arrays wrap without a copy. */
  private ByteBuffer stage(float[] values, int count) {
    int bytes = count * Float.BYTES;
    if (staging == null || staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    staging.clear();
    staging.asFloatBuffer().put(values, 0, count);
    staging.limit(bytes);
    return staging;
  }

  @Override
  public void close() {
    trainer.close();
  }
}
