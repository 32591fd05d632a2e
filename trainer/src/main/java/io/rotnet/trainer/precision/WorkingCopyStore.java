package io.rotnet.trainer.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parameter store for reduced-precision training with float32 master weights. In a training
 * forward pass every trainable parameter is served as a copy made for this step, a leaf of the
 * autograd graph of its own: weights and biases (the convolutions and the linear layer) in the
 * compute type, so those layers run in it; batch-norm scale and shift in float32, so
 * normalization computes in float32. The running statistics are served as the masters, which
 * batch norm updates in place. After the backward pass, {@link #updateMasters} casts the copies'
 * gradients to float32, checks and unscales them when a loss scaler is in use, and has the
 * parameter server apply them to the masters.
 *
 * <p>Copies rather than casts inside the graph: DJL's cast ({@code NDArray.toType}) runs without
 * autograd on the PyTorch engine, so a gradient would not flow back through it to the master. The
 * masters never enter the graph, so a skipped step leaves no gradient behind on them.
 */
public final class WorkingCopyStore extends ParameterStore {

  private final DataType computeType;
  private final Device[] devices;
  private final ParameterServer server;
  private final Map<Key, NDArray> copies = new HashMap<>();
  private NDManager step;

  private record Key(String parameterId, Device device) {}

  /**
   * @param manager owns the masters' replicas on devices other than the model's
   * @param computeType type of the working copies
   * @param devices where the batch parts run; the first holds the masters
   * @param server reduces the gradients over the devices and runs the optimizer
   */
  public WorkingCopyStore(
      NDManager manager, DataType computeType, Device[] devices, ParameterServer server) {
    super(manager, false);
    this.computeType = Objects.requireNonNull(computeType, "computeType");
    this.devices = devices.clone();
    this.server = Objects.requireNonNull(server, "server");
    setParameterServer(server, this.devices);
  }

  /** Starts a step: this step's copies are made in {@code stepManager} and die with it. */
  public void beginStep(NDManager stepManager) {
    copies.clear();
    step = stepManager;
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    NDArray master = super.getValue(parameter, device, training);
    if (!training || master == null || !parameter.requiresGradient()) {
      return master;
    }
    if (step == null) {
      throw new IllegalStateException("beginStep must be called before a training forward pass");
    }
    return copies.computeIfAbsent(
        new Key(parameter.getId(), device),
        key -> {
          DataType type = copyType(parameter);
          // In float32 a detached alias suffices: nothing writes to the master during the step.
          NDArray copy =
              type == master.getDataType() ? master.stopGradient() : master.toType(type, false);
          copy.attach(step);
          copy.setRequiresGradient(true);
          return copy;
        });
  }

  /** Weights and biases run in the compute type; batch-norm parameters stay float32. */
  private DataType copyType(Parameter parameter) {
    Parameter.Type type = parameter.getType();
    return type == Parameter.Type.WEIGHT || type == Parameter.Type.BIAS
        ? computeType
        : DataType.FLOAT32;
  }

  /**
   * Applies this step's gradients to the masters of {@code parameters} on every device. With a
   * loss scaler, the step is skipped (nothing changes but the scaler) when any gradient is inf or
   * NaN, and the gradients are divided by the scale otherwise.
   *
   * @param scaler the loss scaler the loss was multiplied with, or null when it was not scaled
   * @return whether the update was applied
   */
  public boolean updateMasters(List<Parameter> parameters, LossScaler scaler) {
    List<NDArray[]> gradients = new ArrayList<>(parameters.size());
    for (Parameter parameter : parameters) {
      NDArray[] perDevice = new NDArray[devices.length];
      for (int d = 0; d < devices.length; d++) {
        perDevice[d] = float32Gradient(parameter, devices[d]);
      }
      gradients.add(perDevice);
    }
    if (scaler != null) {
      boolean finite = allFinite(gradients);
      float scale = scaler.scale();
      if (!scaler.update(finite)) {
        return false;
      }
      // A power of two: dividing by it is exact.
      float unscale = 1f / scale;
      for (NDArray[] perDevice : gradients) {
        for (NDArray gradient : perDevice) {
          gradient.muli(unscale);
        }
      }
    }
    for (int i = 0; i < parameters.size(); i++) {
      server.update(parameters.get(i).getId(), gradients.get(i), masters(parameters.get(i)));
    }
    return true;
  }

  /** The copy's gradient in float32; zero for a parameter the forward pass did not use. */
  private NDArray float32Gradient(Parameter parameter, Device device) {
    NDArray copy = copies.get(new Key(parameter.getId(), device));
    if (copy == null) {
      Shape shape = super.getValue(parameter, device, true).getShape();
      return step.zeros(shape, DataType.FLOAT32, device);
    }
    NDArray gradient = copy.getGradient();
    if (gradient.getDataType() != DataType.FLOAT32) {
      NDArray cast = gradient.toType(DataType.FLOAT32, false);
      gradient.close();
      gradient = cast;
    }
    gradient.attach(step);
    return gradient;
  }

  /** One sum over every gradient: inf or NaN anywhere makes it non-finite. */
  private boolean allFinite(List<NDArray[]> gradients) {
    NDList sums = new NDList();
    for (NDArray[] perDevice : gradients) {
      for (NDArray gradient : perDevice) {
        sums.add(gradient.sum().toDevice(devices[0], false));
      }
    }
    return Float.isFinite(NDArrays.stack(sums).sum().getFloat());
  }

  private NDArray[] masters(Parameter parameter) {
    NDArray[] masters = new NDArray[devices.length];
    for (int d = 0; d < devices.length; d++) {
      masters[d] = super.getValue(parameter, devices[d], true);
    }
    return masters;
  }
}
