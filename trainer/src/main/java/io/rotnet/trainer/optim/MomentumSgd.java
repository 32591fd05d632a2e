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
import java.util.Arrays;
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
 *
 * <p>{@link #update} never writes to the gradient it is given: replicas on several devices that
 * start from the same weights and momentum and receive the same reduced gradient stay
 * bit-identical, which is what lets a checkpoint save the first device's copy alone.
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
  private final Map<Device, NDArray> flatBuffers = new ConcurrentHashMap<>();
  private FlatParameterStore.FlatLayout flatLayout;

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
    apply(buffer(name, weight), weight, grad);
    // Gradients accumulate across backward passes in PyTorch: clear them for the next step.
    try (NDArray accumulated = weight.getGradient()) {
      accumulated.subi(accumulated);
    }
  }

  /**
   * The same update as {@link #update} on every parameter at once: {@code weight} and {@code grad}
   * are a {@link FlatParameterStore}'s buffer and its gradient on one device, laid out as {@code
   * layout} says. Elementwise, so each value is computed with the same operations and rounding as
   * by {@code update} on its own tensor; the gradient is not written to.
   */
  public void updateFlat(FlatParameterStore.FlatLayout layout, NDArray weight, NDArray grad) {
    if (flatLayout == null) {
      flatLayout = layout;
    } else if (!Arrays.equals(flatLayout.names(), layout.names())) {
      throw new IllegalStateException("one optimizer serves one flat layout");
    }
    apply(flatBuffers.computeIfAbsent(weight.getDevice(), device -> newFlatBuffer(weight)), weight, grad);
  }

  /**
   * {@code d = g + wd * w; buf = m * buf + d; w -= lr * buf} (Nesterov: {@code w -= lr * (d + m *
   * buf)}), elementwise, writing buf and w only.
   */
  private void apply(NDArray buffer, NDArray weight, NDArray grad) {
    // The gradient is read, never written: DJL's parameter server hands one reduced gradient to
    // the update of every device's replica in turn, so writing the decay into it would decay
    // replica k (k + 1) times. The sum goes to a new array, with the same rounding as in place.
    NDArray decayed = grad;
    if (weightDecay != 0f) {
      try (NDArray decay = weight.mul(weightDecay)) {
        decayed = grad.add(decay);
      }
    }
    try {
      buffer.muli(momentum).addi(decayed);
      if (nesterov) {
        try (NDArray delta = buffer.mul(momentum)) {
          delta.addi(decayed).muli(learningRate);
          weight.subi(delta);
        }
      } else {
        try (NDArray delta = buffer.mul(learningRate)) {
          weight.subi(delta);
        }
      }
    } finally {
      if (decayed != grad) {
        decayed.close();
      }
    }
  }

  /** The flat momentum: restored values where the state has them, zeros elsewhere. */
  private NDArray newFlatBuffer(NDArray weight) {
    long total = flatLayout.size();
    if (total > Integer.MAX_VALUE) {
      throw new IllegalStateException("a flat buffer holds at most 2^31 - 1 values, not " + total);
    }
    float[] values = new float[(int) total];
    int offset = 0;
    for (int i = 0; i < flatLayout.names().length; i++) {
      Shape shape = flatLayout.shapes()[i];
      MomentumState.Buffer saved = restored.get(flatLayout.names()[i]);
      if (saved != null) {
        if (!new Shape(saved.shape()).equals(shape)) {
          throw new IllegalStateException(
              "saved momentum of "
                  + flatLayout.names()[i]
                  + " has shape "
                  + new Shape(saved.shape())
                  + ", parameter "
                  + shape);
        }
        System.arraycopy(saved.values(), 0, values, offset, saved.values().length);
      }
      offset += (int) shape.size();
    }
    NDArray host = stateManager.create(FloatBuffer.wrap(values), new Shape(total), DataType.FLOAT32);
    NDArray buffer = host.toDevice(weight.getDevice(), false);
    if (buffer != host) {
      host.close();
    }
    buffer.attach(stateManager);
    return buffer;
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
    if (!flatBuffers.isEmpty()) {
      // Every device holds the same buffer; the flat one is cut back into the parameters'.
      float[] all = flatBuffers.values().iterator().next().toFloatArray();
      int offset = 0;
      for (int i = 0; i < flatLayout.names().length; i++) {
        Shape shape = flatLayout.shapes()[i];
        int size = (int) shape.size();
        out.put(
            flatLayout.names()[i],
            new MomentumState.Buffer(shape.getShape(), Arrays.copyOfRange(all, offset, offset + size)));
        offset += size;
      }
    }
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
    closeFlat();
    restored.clear();
    restored.putAll(state.buffers());
  }

  @Override
  public void close() {
    for (Map<Device, NDArray> perDevice : buffers.values()) {
      perDevice.values().forEach(NDArray::close);
    }
    buffers.clear();
    closeFlat();
    restored.clear();
  }

  private void closeFlat() {
    flatBuffers.values().forEach(NDArray::close);
    flatBuffers.clear();
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
