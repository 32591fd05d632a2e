package io.rotnet.evaluator.dataset;

/**
 * One axis of PIL's antialiased bilinear resize: output pixel i averages the input around its
 * centre (i + 0.5) * in / out with a triangle filter stretched by the downscaling factor, so a
 * large reduction averages every covered input pixel instead of skipping most of them. Only the
 * output range [first, first + count) is computed (the centre crop).
 */
public final class Resampler {
  private final int[] start;
  private final int[] length;
  private final float[] weights;
  private final int taps;
  private final int inSize;
  private final int count;

  public Resampler(int inSize, int outSize, int first, int count) {
    if (first < 0 || first + count > outSize) {
      throw new IllegalArgumentException("crop [" + first + ", " + (first + count) + ") outside 0.." + outSize);
    }
    this.inSize = inSize;
    this.count = count;
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filterScale; // bilinear support 1, stretched
    taps = (int) Math.ceil(support) * 2 + 1;
    start = new int[count];
    length = new int[count];
    weights = new float[count * taps];
    for (int o = 0; o < count; o++) {
      double center = (first + o + 0.5) * scale;
      int min = Math.max(0, (int) (center - support + 0.5));
      int max = Math.min(inSize, (int) (center + support + 0.5));
      int n = max - min;
      double total = 0;
      double[] w = new double[n];
      for (int k = 0; k < n; k++) {
        double x = (k + min - center + 0.5) / filterScale;
        w[k] = Math.max(0, 1 - Math.abs(x));
        total += w[k];
      }
      start[o] = min;
      length[o] = n;
      for (int k = 0; k < n; k++) {
        weights[o * taps + k] = (float) (total == 0 ? 0 : w[k] / total);
      }
    }
  }

  /** Resamples each of {@code rowCount} rows of width inSize into count values. */
  public void rows(float[] in, int rowCount, float[] out) {
    for (int r = 0; r < rowCount; r++) {
      int inBase = r * inSize;
      int outBase = r * count;
      for (int o = 0; o < count; o++) {
        float sum = 0;
        int s = start[o];
        int w = o * taps;
        for (int k = 0; k < length[o]; k++) {
          sum += in[inBase + s + k] * weights[w + k];
        }
        out[outBase + o] = sum;
      }
    }
  }

  /** Resamples columns: in is inSize rows of {@code width} values; out is count rows. */
  public void columns(float[] in, int width, float[] out) {
    for (int o = 0; o < count; o++) {
      int outBase = o * width;
      java.util.Arrays.fill(out, outBase, outBase + width, 0f);
      int w = o * taps;
      for (int k = 0; k < length[o]; k++) {
        float weight = weights[w + k];
        int inBase = (start[o] + k) * width;
        for (int x = 0; x < width; x++) {
          out[outBase + x] += in[inBase + x] * weight;
        }
      }
    }
  }
}
