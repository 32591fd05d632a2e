package io.rotnet.dense.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resize of {@code [N, C, H, W]} as {@code torch.nn.functional.interpolate(mode='bilinear',
 * align_corners=...)} with {@code antialias=False} (what mmseg's {@code resize} calls), also when
 * downsampling. DJL's {@code NDArrayEx.interpolation} ignores {@code align_corners} and its
 * native bilinear antialiases on the way down, so this builds torch's separable weights in Java
 * ({@code area_pixel_compute_source_index}) and applies them as two matrix products,
 * {@code A_h · x · A_wᵀ}: exact up to summation order, and autograd gives the input gradient.
 */
public final class Bilinear {
  private Bilinear() {}

  /** Resizes to {@code outH x outW}; the input stays open. */
  public static NDArray resize(NDArray x, int outH, int outW, boolean alignCorners) {
    Shape s = x.getShape();
    int h = (int) s.get(s.dimension() - 2);
    int w = (int) s.get(s.dimension() - 1);
    if (h == outH && w == outW) {
      return x.duplicate();
    }
    NDManager manager = x.getManager();
    try (NDArray ah = manager.create(weights(h, outH, alignCorners), new Shape(outH, h)).toType(x.getDataType(), false);
        NDArray awT = manager.create(weights(w, outW, alignCorners), new Shape(outW, w)).transpose()
            .toType(x.getDataType(), false);
        NDArray rows = x.matMul(awT)) {
      return ah.matMul(rows);
    }
  }

  /** Row-major {@code [out, in]} interpolation weights along one axis. */
  public static float[] weights(int in, int out, boolean alignCorners) {
    float[] a = new float[out * in];
    for (int d = 0; d < out; d++) {
      float src = sourceIndex(in, out, d, alignCorners);
      int i0 = (int) src;
      int step = i0 < in - 1 ? 1 : 0;
      float lambda1 = src - i0;
      float lambda0 = 1f - lambda1;
      a[d * in + i0] += lambda0;
      a[d * in + i0 + step] += lambda1;
    }
    return a;
  }

  /** torch's {@code area_pixel_compute_source_index} with the scale from the sizes. */
  static float sourceIndex(int in, int out, int dst, boolean alignCorners) {
    if (alignCorners) {
      float scale = out > 1 ? (in - 1f) / (out - 1f) : 0f;
      return scale * dst;
    }
    float scale = (float) in / out;
    float src = scale * (dst + 0.5f) - 0.5f;
    return src < 0 ? 0f : src;
  }

  /** The same resize of a single-channel map on the host (used for labels' logits at test time). */
  public static float[] resizeHost(float[] x, int h, int w, int outH, int outW, boolean alignCorners) {
    float[] ah = weights(h, outH, alignCorners);
    float[] aw = weights(w, outW, alignCorners);
    float[] rows = new float[h * outW];
    for (int y = 0; y < h; y++) {
      for (int ox = 0; ox < outW; ox++) {
        float sum = 0;
        for (int xx = 0; xx < w; xx++) {
          sum += x[y * w + xx] * aw[ox * w + xx];
        }
        rows[y * outW + ox] = sum;
      }
    }
    float[] out = new float[outH * outW];
    for (int oy = 0; oy < outH; oy++) {
      for (int y = 0; y < h; y++) {
        float weight = ah[oy * h + y];
        if (weight != 0) {
          for (int ox = 0; ox < outW; ox++) {
            out[oy * outW + ox] += weight * rows[y * outW + ox];
          }
        }
      }
    }
    return out;
  }

}
