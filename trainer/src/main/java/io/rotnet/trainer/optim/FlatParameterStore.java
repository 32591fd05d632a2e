package io.rotnet.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A float32 parameter store whose trainable parameters are views of one contiguous buffer per
 * device, so that the optimizer step and the gradient reset are a handful of native calls for the
 * whole model instead of several per parameter tensor (161 in ResNet-50).
 *
 * <p>The model's parameters are rebound to views of the first device's buffer (in-place updates
 * of the buffer are the parameters' updates; checkpoints read them as before). A training
 * forward pass serves each parameter as a piece of one {@code split} of the buffer, made anew for
 * each batch part: autograd then accumulates the whole model's gradient into the buffer's single
 * gradient. {@link #update} sums the devices' gradients onto the first device, as DJL's parameter
 * server does, applies {@link MomentumSgd#updateFlat} to every device's buffer and clears the
 * gradients. Batch norm's running statistics (no gradient) are served as by DJL's store.
 * {@link #close()} gives the parameters arrays of their own again.
 */
public final class FlatParameterStore extends ParameterStore implements AutoCloseable {

  private final List<Parameter> trainable;
  private final Map<String, Integer> indexById = new HashMap<>();
  private final long[] splitPoints;
  private final Shape[] shapes;
  private final Device[] devices;
  private final NDArray[] buffers;
  private final NDManager[] owners;
  private final Map<Device, NDList> pieces = new HashMap<>();
  private final Map<Device, NDList> detachedViews = new HashMap<>();
  private final FlatLayout layout;
  private NDManager step;

  /**
   * @param manager owns the buffers and the non-trainable replicas on other devices
   * @param trainable the parameters to keep in the buffer, float32, in the block's order
   * @param names each parameter's name as the optimizer knows it, by parameter id
   * @param devices where batch parts run; the first holds the model's parameters
   */
  public FlatParameterStore(
      NDManager manager, List<Parameter> trainable, Map<String, String> names, Device[] devices) {
    super(manager, false);
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("no trainable parameters");
    }
    this.trainable = List.copyOf(trainable);
    this.devices = devices.clone();
    int count = trainable.size();
    shapes = new Shape[count];
    owners = new NDManager[count];
    splitPoints = new long[count - 1];
    String[] layoutNames = new String[count];
    long offset = 0;
    NDList flattened = new NDList(count);
    for (int i = 0; i < count; i++) {
      Parameter parameter = trainable.get(i);
      NDArray array = parameter.getArray();
      if (array.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(
            parameter.getName() + " is " + array.getDataType() + "; the flat store holds float32");
      }
      indexById.put(parameter.getId(), i);
      shapes[i] = array.getShape();
      owners[i] = array.getManager();
      layoutNames[i] = names.get(parameter.getId());
      if (i > 0) {
        splitPoints[i - 1] = offset;
      }
      offset += shapes[i].size();
      flattened.add(array.reshape(-1));
    }
    layout = new FlatLayout(layoutNames, shapes);
    buffers = new NDArray[devices.length];
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      NDArray first = NDArrays.concat(flattened);
      first.attach(manager);
      flattened.close();
      buffers[0] = first;
      // No-grad views: the model's parameters follow the buffer without entering any graph.
      NDList views = views(first);
      for (int i = 0; i < count; i++) {
        rebind(trainable.get(i), views.get(i));
      }
      for (int d = 1; d < devices.length; d++) {
        buffers[d] = first.toDevice(devices[d], true);
        buffers[d].attach(manager);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    for (NDArray buffer : buffers) {
      buffer.setRequiresGradient(true);
    }
  }

  /** Names and shapes of the buffer's pieces, in order. */
  public FlatLayout layout() {
    return layout;
  }

  /** Starts a batch part: its forward pass gets fresh pieces, which die with {@code stepManager}. */
  public void beginPart(NDManager stepManager) {
    step = stepManager;
    pieces.clear();
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    Integer index = parameter == null ? null : indexById.get(parameter.getId());
    if (index == null) {
      return super.getValue(parameter, device, training);
    }
    int d = deviceIndex(device);
    if (!training) {
      if (d == 0) {
        return parameter.getArray();
      }
      return detachedViews.computeIfAbsent(device, k -> noGrad(() -> views(buffers[deviceIndex(k)])))
          .get(index);
    }
    if (step == null) {
      throw new IllegalStateException("beginPart must be called before a training forward pass");
    }
    return pieces.computeIfAbsent(device, k -> {
      NDList list = views(buffers[deviceIndex(k)]);
      list.attach(step);
      return list;
    }).get(index);
  }

  /**
   * One optimizer step over every device's buffer with the devices' summed gradient, then the
   * gradients are cleared.
   */
  public void update(MomentumSgd optimizer) {
    NDManager scope = step != null ? step : getManager();
    NDArray[] gradients = new NDArray[devices.length];
    for (int d = 0; d < devices.length; d++) {
      gradients[d] = buffers[d].getGradient();
      gradients[d].attach(scope);
    }
    NDArray reduced = gradients[0];
    for (int d = 1; d < devices.length; d++) {
      try (NDArray copy = gradients[d].toDevice(devices[0], true)) {
        reduced.addi(copy);
      }
    }
    for (int d = 0; d < devices.length; d++) {
      if (d == 0) {
        optimizer.updateFlat(layout, buffers[0], reduced);
      } else {
        try (NDArray onDevice = reduced.toDevice(devices[d], true)) {
          optimizer.updateFlat(layout, buffers[d], onDevice);
        }
      }
    }
    for (NDArray gradient : gradients) {
      // Gradients accumulate across backward passes in PyTorch: clear them for the next step.
      gradient.subi(gradient);
    }
  }

  /** The parameters get arrays of their own (the buffer's values) before the buffers go. */
  @Override
  public void close() {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int i = 0; i < trainable.size(); i++) {
        Parameter parameter = trainable.get(i);
        NDArray own = parameter.getArray().duplicate();
        own.attach(owners[i]);
        rebind(parameter, own);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    detachedViews.values().forEach(NDList::close);
    detachedViews.clear();
    pieces.clear();
    for (NDArray buffer : buffers) {
      buffer.close();
    }
  }

  private NDList views(NDArray buffer) {
    NDList split = buffer.split(splitPoints);
    NDList shaped = new NDList(split.size());
    for (int i = 0; i < split.size(); i++) {
      NDArray piece = split.get(i);
      NDArray view = piece.reshape(shapes[i]);
      piece.close();
      shaped.add(view);
    }
    return shaped;
  }

  private static NDList noGrad(java.util.function.Supplier<NDList> make) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return make.get();
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private int deviceIndex(Device device) {
    for (int d = 0; d < devices.length; d++) {
      if (devices[d].equals(device)) {
        return d;
      }
    }
    throw new IllegalArgumentException(device + " is not one of the step's devices");
  }

  private static void rebind(Parameter parameter, NDArray array) {
    parameter.close();
    parameter.setShape(null);
    parameter.setArray(array);
  }

  /** The names and shapes of a flat buffer's pieces, in order. */
  public record FlatLayout(String[] names, Shape[] shapes) {
    public long size() {
      long total = 0;
      for (Shape shape : shapes) {
        total += shape.size();
      }
      return total;
    }
  }
}
