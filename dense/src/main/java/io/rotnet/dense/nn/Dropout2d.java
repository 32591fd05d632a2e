package io.rotnet.dense.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.Dropout2d}: in training, each channel of each sample is zeroed with
 * probability {@code p} and the others scaled by {@code 1 / (1 - p)}; identity otherwise. DJL's
 * dropout is element-wise, so the mask here is drawn per {@code (N, C)} and broadcast over
 * {@code H x W}.
 */
public final class Dropout2d {
  private Dropout2d() {}

  public static NDArray apply(NDArray x, float p, boolean training) {
    if (!training || p == 0f) {
      return x.duplicate();
    }
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    Shape s = x.getShape();
    try (NDArray uniform = x.getManager().randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1), x.getDataType(),
            x.getDevice());
        NDArray keep = uniform.gte(p);
        NDArray scale = keep.toType(x.getDataType(), false).div(1f - p)) {
      return x.mul(scale);
    }
  }
}
