package io.rotnet.dense.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays built from Java data for use inside an autograd graph. DJL's PyTorch engine wraps a
 * direct buffer without copying ({@code from_blob}) and only the Java array object keeps that
 * buffer alive, so a tensor autograd saved for backward could outlive its memory; these are
 * copied into tensor-owned storage instead.
 */
public final class HostArrays {

  private HostArrays() {}

  public static NDArray of(NDManager manager, float[] data, Shape shape) {
    return owned(manager.create(data, shape));
  }

  public static NDArray of(NDManager manager, long[] data) {
    return owned(manager.create(data));
  }

  /** A 0-d scalar, e.g. a loss's divisor: {@code x.div(Number)} would free it before backward. */
  public static NDArray scalar(NDManager manager, float value) {
    return owned(manager.create(value));
  }

  private static NDArray owned(NDArray wrapped) {
    NDArray copy = wrapped.duplicate();
    wrapped.close();
    return copy;
  }
}
