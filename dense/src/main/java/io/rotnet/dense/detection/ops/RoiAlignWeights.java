package io.rotnet.dense.detection.ops;

/**
 * One axis of mmcv's RoIAlign ({@code aligned=True}, average): the {@code pooled} bins of a RoI
 * edge each average {@code grid} bilinear samples ({@code grid = ceil(length / pooled)} when the
 * sampling ratio is 0). mmcv's sample weight is the product of a y weight and an x weight, and
 * its out-of-range rule ({@code y < -1 || y > H || x < -1 || x > W} gives 0) and its clamping act
 * on each axis alone, so RoIAlign is {@code Ay . F . Ax^T} with these per-axis matrices.
 */
public final class RoiAlignWeights {

  /** First feature index the weights touch, and the [pooled, window] weights from there. */
  private final int start;
  private final int window;
  private final float[] weights;
  private final int pooled;

  private RoiAlignWeights(int start, int window, float[] weights, int pooled) {
    this.start = start;
    this.window = window;
    this.weights = weights;
    this.pooled = pooled;
  }

  /**
   * Weights along one axis.
   *
   * @param lo RoI start on this axis in input pixels (x1 or y1)
   * @param hi RoI end (x2 or y2)
   * @param scale spatial scale (1 / stride)
   * @param pooled output bins on this axis
   * @param samplingRatio samples per bin, 0 for adaptive
   * @param size feature size on this axis
   */
  public static RoiAlignWeights of(
      float lo, float hi, float scale, int pooled, int samplingRatio, int size) {
    float roiStart = lo * scale - 0.5f;
    float roiEnd = hi * scale - 0.5f;
    float length = roiEnd - roiStart;
    float bin = length / pooled;
    int grid = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(length / pooled);
    double[] dense = new double[pooled * size];
    int first = size;
    int last = -1;
    if (grid > 0) {
      double inv = 1.0 / grid;
      for (int p = 0; p < pooled; p++) {
        for (int s = 0; s < grid; s++) {
          float y = roiStart + p * bin + (s + 0.5f) * bin / grid;
          if (y < -1.0f || y > size) {
            continue;
          }
          if (y <= 0) {
            y = 0;
          }
          int low = (int) y;
          int high;
          if (low >= size - 1) {
            high = low = size - 1;
            y = low;
          } else {
            high = low + 1;
          }
          float l = y - low;
          float h = 1f - l;
          dense[p * size + low] += h * inv;
          dense[p * size + high] += l * inv;
          first = Math.min(first, low);
          last = Math.max(last, high);
        }
      }
    }
    if (last < 0) {
      return new RoiAlignWeights(0, 1, new float[pooled], pooled);
    }
    int window = last - first + 1;
    float[] w = new float[pooled * window];
    for (int p = 0; p < pooled; p++) {
      for (int k = 0; k < window; k++) {
        w[p * window + k] = (float) dense[p * size + first + k];
      }
    }
    return new RoiAlignWeights(first, window, w, pooled);
  }

  public int start() {
    return start;
  }

  /** Feature cells the RoI reads on this axis (at least 1). */
  public int window() {
    return window;
  }

  public int pooled() {
    return pooled;
  }

  /** Weight of bin {@code p} on feature index {@code index} (0 outside the window). */
  public float weight(int p, int index) {
    int k = index - start;
    return k < 0 || k >= window ? 0f : weights[p * window + k];
  }

  /**
   * The [pooled, length] weights over feature indices {@code from .. from + length - 1}, written
   * into {@code out} at {@code offset}; the window must lie inside that range.
   */
  public void writeInto(float[] out, int offset, int from, int length) {
    for (int p = 0; p < pooled; p++) {
      for (int k = 0; k < window; k++) {
        out[offset + p * length + start - from + k] = weights[p * window + k];
      }
    }
  }

  /** Applies the weights of both axes to one [H, W] plane: out[i][j] = sum Ay[i,h] P[h,w] Ax[j,w]. */
  public static float[] applyToPlane(
      RoiAlignWeights ay, RoiAlignWeights ax, float[] plane, int width) {
    int ph = ay.pooled;
    int pw = ax.pooled;
    float[] rows = new float[ph * ax.window];
    for (int i = 0; i < ph; i++) {
      for (int k = 0; k < ay.window; k++) {
        float wy = ay.weights[i * ay.window + k];
        if (wy == 0f) {
          continue;
        }
        int base = (ay.start + k) * width + ax.start;
        for (int c = 0; c < ax.window; c++) {
          rows[i * ax.window + c] += wy * plane[base + c];
        }
      }
    }
    float[] out = new float[ph * pw];
    for (int i = 0; i < ph; i++) {
      for (int j = 0; j < pw; j++) {
        float sum = 0f;
        for (int c = 0; c < ax.window; c++) {
          sum += rows[i * ax.window + c] * ax.weights[j * ax.window + c];
        }
        out[i * pw + j] = sum;
      }
    }
    return out;
  }
}
