package io.rotnet.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with momentum and weight decay exactly as PyTorch's {@code torch.optim.SGD} (no dampening):
 * {@code g += wd * w; buf = m * buf + g; w -= lr * buf}, or with Nesterov {@code w -= lr * (g + m
 * * buf)}. Unlike DJL's {@code Sgd}
 * (MXNet's formulation, which folds the learning rate into the buffer), the buffers can be saved
 * with {@link #state()} and restored with {@link #restore}, so a resumed run continues with
 * bit-identical updates.
 *
 * <p>Buffers are kept by parameter name, not by DJL's per-instance parameter id, so a checkpoint
 * taken from one model instance restores into another. The learning rate is set before each step by
 * the training loop from its schedule.
 */
public final class MomentumSgd extends Optimizer implements AutoCloseable {

  private final float momentum;
  private final float weightDecay;
  private final boolean nesterov;
  private final Map<String, String> namesById;
  private final NDManager stateManager;
  private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();
  private final Map<String, MomentumState.Buffer> restored = new ConcurrentHashMap<>();
  private volatile float learningRate;

  private MomentumSgd(Builder builder) {
    super(builder);
    this.momentum = builder.momentum;
    this.weightDecay = builder.weightDecay;
    this.nesterov = builder.nesterov;
    this.namesById = builder.namesById;
    this.stateManager = builder.stateManager;
    this.learningRate = builder.learningRate;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Learning rate of the next {@code update} calls. */
  public void setLearningRate(float learningRate) {
    if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0: " + learningRate);
    }
    this.learningRate = learningRate;
  }

  public float learningRate() {
    return learningRate;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String name = namesById.get(parameterId);
    if (name == null) {
      throw new IllegalStateException("parameter " + parameterId + " is not one of the model's");
    }
    NDArray buffer = buffer(name, weight);
    if (weightDecay != 0f) {
      try (NDArray decay = weight.mul(weightDecay)) {
        grad.addi(decay);
      }
    }
    buffer.muli(momentum).addi(grad);
    if (nesterov) {
      try (NDArray delta = buffer.mul(momentum)) {
        delta.addi(grad).muli(learningRate);
        weight.subi(delta);
      }
    } else {
      try (NDArray delta = buffer.mul(learningRate)) {
        weight.subi(delta);
      }
    }
    // Gradients accumulate across backward passes in PyTorch: clear them for the next step.
    try (NDArray accumulated = weight.getGradient()) {
      accumulated.subi(accumulated);
    }
  }

  private NDArray buffer(String name, NDArray weight) {
    Map<Device, NDArray> perDevice = buffers.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    return perDevice.computeIfAbsent(weight.getDevice(), device -> newBuffer(name, weight));
  }

  private NDArray newBuffer(String name, NDArray weight) {
    MomentumState.Buffer saved = restored.get(name);
    NDArray buffer;
    if (saved != null) {
      Shape shape = new Shape(saved.shape());
      if (!shape.equals(weight.getShape())) {
        throw new IllegalStateException(
            "saved momentum of "
                + name
                + " has shape "
                + shape
                + ", parameter "
                + weight.getShape());
      }
      NDArray host = stateManager.create(FloatBuffer.wrap(saved.values()), shape, DataType.FLOAT32);
      buffer = host.toDevice(weight.getDevice(), false);
      if (buffer != host) {
        host.close();
      }
    } else {
      buffer = stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
    }
    buffer.attach(stateManager);
    return buffer;
  }

  /** A copy of every momentum buffer (those restored but not used yet included). */
  public MomentumState state() {
    Map<String, MomentumState.Buffer> out = new TreeMap<>(restored);
    for (Map.Entry<String, Map<Device, NDArray>> entry : buffers.entrySet()) {
      // Every device holds the same buffer: each receives the same reduced gradient.
      NDArray first = entry.getValue().values().iterator().next();
      out.put(
          entry.getKey(),
          new MomentumState.Buffer(first.getShape().getShape(), first.toFloatArray()));
    }
    return new MomentumState(out);
  }

  /**
   * Replaces every buffer with the saved ones; they are placed on a parameter's device at its first
   * update. Names unknown to this model are an error: the state belongs to another model.
   */
  public void restore(MomentumState state) {
    for (String name : state.buffers().keySet()) {
      if (!namesById.containsValue(name)) {
        throw new IllegalArgumentException(
            "optimizer state has a buffer for unknown parameter " + name);
      }
    }
    for (Map<Device, NDArray> perDevice : buffers.values()) {
      perDevice.values().forEach(NDArray::close);
    }
    buffers.clear();
    restored.clear();
    restored.putAll(state.buffers());
  }

  @Override
  public void close() {
    for (Map<Device, NDArray> perDevice : buffers.values()) {
      perDevice.values().forEach(NDArray::close);
    }
    buffers.clear();
    restored.clear();
  }

  /** Builder: parameters and state manager are required. */
  public static final class Builder extends OptimizerBuilder<Builder> {
    private float momentum = 0.9f;
    private float weightDecay = 1e-4f;
    private boolean nesterov;
    private float learningRate = 0.1f;
    private Map<String, String> namesById;
    private NDManager stateManager;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** The model's parameters as {@code Block.getParameters()} lists them (name, parameter). */
    public Builder setParameters(Iterable<Pair<String, Parameter>> parameters) {
      Map<String, String> map = new HashMap<>();
      for (Pair<String, Parameter> pair : parameters) {
        map.put(pair.getValue().getId(), pair.getKey());
      }
      this.namesById = Map.copyOf(map);
      return this;
    }

    /** Manager owning the momentum buffers; the optimizer's user closes it. */
    public Builder setStateManager(NDManager manager) {
      this.stateManager = manager;
      return this;
    }

    public Builder optMomentum(double value) {
      this.momentum = (float) value;
      return this;
    }

    /** Nesterov momentum (default off). */
    public Builder optNesterov(boolean value) {
      this.nesterov = value;
      return this;
    }

    public Builder optWeightDecay(double value) {
      this.weightDecay = (float) value;
      return this;
    }

    public Builder optLearningRate(double value) {
      this.learningRate = (float) value;
      return this;
    }

    public MomentumSgd build() {
      Objects.requireNonNull(namesById, "parameters are required");
      Objects.requireNonNull(stateManager, "state manager is required");
      if (namesById.isEmpty()) {
        throw new IllegalArgumentException("the model has no parameters");
      }
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
      if (!(weightDecay >= 0)) {
        throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
      }
      return new MomentumSgd(this);
    }
  }
}
