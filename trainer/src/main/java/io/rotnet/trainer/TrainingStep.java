package io.rotnet.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.optim.FlatParameterStore;
import io.rotnet.trainer.optim.MomentumSgd;
import io.rotnet.trainer.precision.LossScaler;
import io.rotnet.trainer.precision.LossScaling;
import io.rotnet.trainer.precision.Precision;
import io.rotnet.trainer.precision.WorkingCopyStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One optimizer step on a host batch: copy to the devices, forward, softmax cross-entropy,
 * backward, SGD update. The batch is split into equal parts of whole rotation groups, at least one
 * per device and otherwise of the part size (the preset's replica batch): each part is normalized
 * by batch norm on its own, as one GPU per replica does in the reference, and back-propagated at
 * once, so its activations are freed before the next part runs. Parts go to the devices in turn;
 * each part's loss is weighted by its share, so the gradients accumulated over the parts and
 * summed by DJL's parameter server onto the first device are the gradient of the whole batch's
 * mean loss.
 *
 * <p>In a reduced {@link Precision} the convolutions and the linear layer run on low-precision
 * working copies of the float32 parameters ({@link WorkingCopyStore}), batch norm and the loss in
 * float32; in fp16 the loss is scaled by a {@link LossScaler} and a step whose gradients overflow
 * is skipped. In fp32 nothing is cast.
 *
 * <p>Every array a step creates lives in a per-step sub-manager closed at the end of the step.
 */
public final class TrainingStep implements AutoCloseable {

  private final Model model;
  private final MomentumSgd optimizer;
  private final Device[] devices;
  private final int partSize;
  private final Precision precision;
  private final LossScaler scaler;
  private final NDManager manager;
  private final ParameterServer server;
  private final ParameterStore store;
  private final WorkingCopyStore workingCopies;
  private final FlatParameterStore flat;
  private final List<Parameter> trainable = new ArrayList<>();
  private final Loss loss = Loss.softmaxCrossEntropyLoss();
  private ByteBuffer staging;

  private TrainingStep(Builder builder) {
    this.model = builder.model;
    this.optimizer = builder.optimizer;
    this.devices = builder.devices.toArray(new Device[0]);
    this.partSize = builder.partSize;
    this.precision = builder.precision;
    this.scaler = builder.scaler;
    Block block = model.getBlock();
    for (Parameter parameter : block.getParameters().values()) {
      if (parameter.requiresGradient()) {
        trainable.add(parameter);
      }
    }
    // Holds the parameters' replicas on devices other than the model's, as DJL's Trainer does.
    manager = model.getNDManager().newSubManager();
    server = manager.getEngine().newParameterServer(optimizer);
    if (precision.isReduced()) {
      workingCopies = new WorkingCopyStore(manager, precision.computeType(), devices, server);
      store = workingCopies;
      flat = null;
    } else {
      workingCopies = null;
      flat = builder.fusedUpdate
          ? new FlatParameterStore(manager, trainable, namesById(block), devices)
          : null;
      store = flat != null ? flat : new ParameterStore(manager, false);
      store.setParameterServer(server, devices);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Precision precision() {
    return precision;
  }

  /** The loss scaler of an fp16 step; empty otherwise. */
  public Optional<LossScaler> lossScaler() {
    return Optional.ofNullable(scaler);
  }

  /** Trains on the batch with this learning rate and returns loss and accuracy. */
  public StepResult run(HostBatch batch, double learningRate) {
    int images = batch.size();
    int parts = partsOf(images);
    int perPart = images / parts;
    int imageFloats = 3 * batch.inputSize() * batch.inputSize();
    ByteBuffer pixels = stage(batch.pixels(), images * imageFloats);
    int[] labels = batch.labels();
    optimizer.setLearningRate((float) learningRate);
    float lossScale = scaler == null ? 1f : scaler.scale();

    try (NDManager step = model.getNDManager().newSubManager()) {
      if (workingCopies != null) {
        workingCopies.beginStep(step);
      }
      List<NDArray> losses = new ArrayList<>(parts);
      List<NDArray> corrects = new ArrayList<>(parts);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        for (int p = 0; p < parts; p++) {
          NDManager onDevice = step.newSubManager(devices[p % devices.length]);
          if (flat != null) {
            flat.beginPart(step);
          }
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
          NDArray logits = forward(x, onDevice);
          NDArray partLoss = loss.evaluate(new NDList(y), new NDList(logits));
          NDArray weighted = parts == 1 ? partLoss : times(partLoss, (float) perPart / images);
          collector.backward(lossScale == 1f ? weighted : times(weighted, lossScale));
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
      boolean applied;
      if (flat != null) {
        flat.update(optimizer);
        applied = true;
      } else if (workingCopies == null) {
        store.updateAllParameters();
        applied = true;
      } else {
        applied = workingCopies.updateMasters(trainable, scaler);
      }
      double meanLoss = 0;
      long correct = 0;
      for (int p = 0; p < parts; p++) {
        meanLoss += losses.get(p).getFloat();
        correct += corrects.get(p).getLong();
      }
      if (!Double.isFinite(meanLoss)) {
        throw new IllegalStateException(
            "training diverged: loss is " + meanLoss + " (" + precision.label() + ")");
      }
      return new StepResult(meanLoss, correct, images, learningRate, !applied);
    }
  }

  private static Map<String, String> namesById(Block block) {
    Map<String, String> names = new HashMap<>();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      names.put(pair.getValue().getId(), pair.getKey());
    }
    return names;
  }

  /** How many parts a batch of {@code images} runs in on this step's devices. */
  int partsOf(int images) {
    return partsOf(images, partSize, devices.length);
  }

  /**
   * How many parts a batch of {@code images} runs in: batch / part size, and at least one per
   * device; every part holds whole rotation groups and every device the same number of parts.
   *
   * @throws IllegalArgumentException when the batch cannot be split that way
   */
  public static int partsOf(int images, int partSize, int devices) {
    int parts = Math.max(devices, images / Math.min(partSize, images));
    if (parts % devices != 0 || images % (4 * parts) != 0) {
      throw new IllegalArgumentException(
          images / 4
              + " rotation groups cannot be split into "
              + parts
              + " equal parts over "
              + devices
              + " device(s)");
    }
    return parts;
  }

  /** Float32 logits of a float32 batch part, computed in the step's precision. */
  private NDArray forward(NDArray x, NDManager onDevice) {
    if (!precision.isReduced()) {
      return model.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
    }
    // The input needs no gradient, so DJL's cast (which autograd does not see) is fine here.
    NDArray input = x.toType(precision.computeType(), false);
    NDArray low = model.getBlock().forward(store, new NDList(input), true).singletonOrThrow();
    // Type promotion is the cast autograd sees: low + float32 zero is float32, and the
    // gradient flows back to the low-precision logits.
    return low.add(onDevice.zeros(new Shape(1), DataType.FLOAT32));
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
    // Replicas on other devices are copied back to the model's parameters, as DJL's Trainer does.
    store.sync();
    if (flat != null) {
      flat.close();
    }
    server.close();
    manager.close();
  }

  /** Builder: model and optimizer are required. */
  public static final class Builder {
    private Model model;
    private MomentumSgd optimizer;
    private List<Device> devices;
    private int partSize = Integer.MAX_VALUE;
    private Precision precision = Precision.FP32;
    private LossScaler scaler;
    private boolean fusedUpdate = true;

    private Builder() {}

    /**
     * Whether an fp32 step keeps the parameters in one flat buffer per device and updates them in
     * a few native calls ({@link FlatParameterStore}; default), or updates each parameter tensor
     * through DJL's parameter store and server. Both give bit-identical weights.
     */
    public Builder optFusedUpdate(boolean fused) {
      this.fusedUpdate = fused;
      return this;
    }

    /** The model whose block is the initialized network. */
    public Builder setModel(Model model) {
      this.model = model;
      return this;
    }

    /** Updates the parameters; its learning rate is set at each step. */
    public Builder setOptimizer(MomentumSgd optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /** Where the batch parts run; the first holds the parameters. Default: the model's device. */
    public Builder optDevices(List<Device> devices) {
      this.devices = List.copyOf(devices);
      return this;
    }

    /**
     * Rotated images per part: batch norm group and unit of back-propagation (the preset's replica
     * batch); default the whole batch, split only over the devices.
     */
    public Builder optPartSize(int partSize) {
      if (partSize < 4 || partSize % 4 != 0) {
        throw new IllegalArgumentException(
            "part size must be a positive multiple of 4 (whole rotation groups), got " + partSize);
      }
      this.partSize = partSize;
      return this;
    }

    /** Precision of the forward and backward passes; default fp32. */
    public Builder optPrecision(Precision precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    /**
     * Loss scaler of an fp16 step, e.g. one restored from a checkpoint; default a new one with
     * PyTorch's settings. Only fp16 scales the loss.
     */
    public Builder optLossScaler(LossScaler scaler) {
      this.scaler = Objects.requireNonNull(scaler, "scaler");
      return this;
    }

    public TrainingStep build() {
      Objects.requireNonNull(model, "model is required (setModel)");
      Objects.requireNonNull(optimizer, "optimizer is required (setOptimizer)");
      if (model.getBlock() == null) {
        throw new IllegalArgumentException("the model has no block");
      }
      if (devices == null) {
        devices = List.of(model.getNDManager().getDevice());
      }
      if (devices.isEmpty()) {
        throw new IllegalArgumentException("at least one device is required");
      }
      precision.requireSupportedBy(model.getNDManager().getEngine());
      if (precision.needsLossScaling()) {
        if (scaler == null) {
          scaler = LossScaling.defaults().newScaler();
        }
      } else if (scaler != null) {
        throw new IllegalArgumentException(
            "a loss scaler applies to fp16 only, not " + precision.label());
      }
      return new TrainingStep(this);
    }
  }

  /**
   * {@code x * factor} with the factor held in native memory of x's manager. DJL's {@code
   * mul(Number)} wraps the number around Java memory and closes it at once, while autograd keeps it
   * for the backward pass, which can then read freed memory once the collector has run.
   */
  private static NDArray times(NDArray x, float factor) {
    try (NDArray wrapped = x.getManager().create(factor)) {
      return x.mul(wrapped.duplicate());
    }
  }
}
