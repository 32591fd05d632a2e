package io.rotnet.evaluator.dataset;

/**
 * One axis of PIL's antialiased bilinear resize: output pixel i averages the input around its
 * centre (i + 0.5) * in / out with a triangle filter stretched by the downscaling factor, so a
 * large reduction averages every covered input pixel instead of skipping most of them. Only the
 * output range [first, first + count) is computed (the centre crop). Like PIL on 8-bit images, it
 * works in fixed point (coefficients with 22 fraction bits, sums rounded half up and clipped to
 * 0..255), so its output is PIL's, value for value; inputs must be 8-bit values.
 */
public final class Resampler {
  private final int[] start;
  private final int[] length;
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);
  private final int[] weights;
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
    weights = new int[count * taps];
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
        double normalized = total == 0 ? 0 : w[k] / total;
        weights[o * taps + k] = (int) (normalized < 0 ? -0.5 + normalized * (1 << PRECISION_BITS)
            : 0.5 + normalized * (1 << PRECISION_BITS));
      }
    }
  }

  /** Resamples each of {@code rowCount} rows of width inSize into count values. */
  public void rows(float[] in, int rowCount, float[] out) {
    for (int r = 0; r < rowCount; r++) {
      int inBase = r * inSize;
      int outBase = r * count;
      for (int o = 0; o < count; o++) {
        int sum = HALF;
        int s = start[o];
        int w = o * taps;
        for (int k = 0; k < length[o]; k++) {
          sum += (int) in[inBase + s + k] * weights[w + k];
        }
        out[outBase + o] = clip8(sum);
      }
    }
  }

  /** Resamples columns: in is inSize rows of {@code width} values; out is count rows. */
  public void columns(float[] in, int width, float[] out) {
    int[] sums = new int[width];
    for (int o = 0; o < count; o++) {
      int outBase = o * width;
      java.util.Arrays.fill(sums, HALF);
      int w = o * taps;
      for (int k = 0; k < length[o]; k++) {
        int weight = weights[w + k];
        int inBase = (start[o] + k) * width;
        for (int x = 0; x < width; x++) {
          sums[x] += (int) in[inBase + x] * weight;
        }
      }
      for (int x = 0; x < width; x++) {
        out[outBase + x] = clip8(sums[x]);
      }
    }
  }

  /** PIL's clip8: the rounded sum's integer part, clipped to 0..255. */
  private static float clip8(int sum) {
    if (sum >= (1 << PRECISION_BITS << 8)) {
      return 255;
    }
    if (sum <= 0) {
      return 0;
    }
    return sum >> PRECISION_BITS;
  }
}
