package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RgbImage;

/**
 * Bilinear resizing of a window of an RGB image on plain byte arrays, in two separable passes
 * (vertical, then horizontal) with integer weights. When shrinking, the triangle filter is
 * widened by the scale factor, as PIL's and torchvision's antialiased bilinear resize do, so a
 * large crop is averaged rather than aliased; when enlarging it is ordinary half-pixel-centred
 * bilinear interpolation. Only pixels inside the window are read. Integer arithmetic makes the
 * result identical on every machine.
 */
public final class BilinearResampler {

  static final int PRECISION_BITS = 14;
  static final int ONE = 1 << PRECISION_BITS;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private BilinearResampler() {}

  /** Resizes {@code window} of {@code source} to {@code outWidth x outHeight} RGB bytes. */
  public static byte[] resize(RgbImage source, CropWindow window, int outWidth, int outHeight) {
    if (!window.fitsIn(source.width(), source.height())) {
      throw new IllegalArgumentException(
          window + " does not fit in " + source.width() + "x" + source.height());
    }
    Taps horizontal = Taps.compute(window.width(), outWidth);
    Taps vertical = Taps.compute(window.height(), outHeight);
    // Vertical pass first: it runs along contiguous rows, which the JIT vectorises, and it
    // leaves only outHeight rows for the scalar horizontal pass instead of the crop's height.
    byte[] columns = resizeColumns(source, window, vertical, outHeight);
    return resizeRows(columns, window.width(), horizontal, outWidth, outHeight);
  }

  /** First pass: the window's columns to {@code outHeight} pixels; rows stay window-wide. */
  private static byte[] resizeColumns(RgbImage source, CropWindow window, Taps taps, int outHeight) {
    byte[] in = source.pixels();
    int inRowBytes = source.width() * 3;
    int rowBytes = window.width() * 3;
    int base = source.offset(window.left(), window.top());
    byte[] out = new byte[outHeight * rowBytes];
    int[] accumulator = new int[rowBytes];
    for (int y = 0; y < outHeight; y++) {
      java.util.Arrays.fill(accumulator, HALF);
      int w = y * taps.stride;
      for (int k = 0, n = taps.count[y]; k < n; k++) {
        int weight = taps.weights[w + k];
        int p = base + (taps.first[y] + k) * inRowBytes;
        for (int i = 0; i < rowBytes; i++) {
          accumulator[i] += (in[p + i] & 0xFF) * weight;
        }
      }
      int o = y * rowBytes;
      for (int i = 0; i < rowBytes; i++) {
        out[o + i] = clamp(accumulator[i]);
      }
    }
    return out;
  }

  /** Second pass: every row to {@code outWidth} pixels. */
  private static byte[] resizeRows(byte[] in, int inWidth, Taps taps, int outWidth, int outHeight) {
    int inRowBytes = inWidth * 3;
    int rowBytes = outWidth * 3;
    byte[] out = new byte[outHeight * rowBytes];
    int[] firstByte = new int[outWidth];
    for (int x = 0; x < outWidth; x++) {
      firstByte[x] = taps.first[x] * 3;
    }
    for (int y = 0; y < outHeight; y++) {
      int rowStart = y * inRowBytes;
      int o = y * rowBytes;
      for (int x = 0; x < outWidth; x++) {
        int p = rowStart + firstByte[x];
        int w = x * taps.stride;
        int r = HALF;
        int g = HALF;
        int b = HALF;
        for (int k = 0, n = taps.count[x]; k < n; k++, p += 3) {
          int weight = taps.weights[w + k];
          r += (in[p] & 0xFF) * weight;
          g += (in[p + 1] & 0xFF) * weight;
          b += (in[p + 2] & 0xFF) * weight;
        }
        out[o++] = clamp(r);
        out[o++] = clamp(g);
        out[o++] = clamp(b);
      }
    }
    return out;
  }

  private static byte clamp(int fixedPoint) {
    int value = fixedPoint >> PRECISION_BITS;
    return (byte) (value < 0 ? 0 : Math.min(value, 255));
  }

  /**
   * Per output pixel: the first input pixel it reads, how many it reads and their integer
   * weights, which sum to exactly {@link #ONE} so flat areas stay flat.
   */
  static final class Taps {
    final int[] first;
    final int[] count;
    final int[] weights;
    final int stride;

    private Taps(int[] first, int[] count, int[] weights, int stride) {
      this.first = first;
      this.count = count;
      this.weights = weights;
      this.stride = stride;
    }

    static Taps compute(int inSize, int outSize) {
      if (inSize <= 0 || outSize <= 0) {
        throw new IllegalArgumentException("sizes must be positive: " + inSize + " -> " + outSize);
      }
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale;
      int stride = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[outSize];
      int[] count = new int[outSize];
      int[] weights = new int[outSize * stride];
      double[] real = new double[stride];
      for (int o = 0; o < outSize; o++) {
        double centre = (o + 0.5) * scale;
        int low = Math.max(0, (int) Math.floor(centre - support + 0.5));
        int high = Math.min(inSize, (int) Math.floor(centre + support + 0.5));
        double sum = 0;
        int n = 0;
        int start = -1;
        for (int i = low; i < high && n < stride; i++) {
          double weight = triangle((i + 0.5 - centre) / filterScale);
          if (weight <= 0 && start < 0) {
            continue; // skip leading zero taps
          }
          if (start < 0) {
            start = i;
          }
          real[n++] = weight;
          sum += weight;
        }
        while (n > 0 && real[n - 1] <= 0) {
          n--; // and trailing ones
        }
        if (start < 0 || sum <= 0) {
          // Cannot happen for a triangle of half-width >= 1, kept as a nearest-pixel guard.
          start = Math.min(inSize - 1, (int) centre);
          real[0] = 1;
          sum = 1;
          n = 1;
        }
        first[o] = start;
        count[o] = n;
        int total = 0;
        int largest = 0;
        for (int k = 0; k < n; k++) {
          int weight = (int) Math.round(real[k] / sum * ONE);
          weights[o * stride + k] = weight;
          total += weight;
          if (weight > weights[o * stride + largest]) {
            largest = k;
          }
        }
        weights[o * stride + largest] += ONE - total;
      }
      return new Taps(first, count, weights, stride);
    }

    private static double triangle(double x) {
      double distance = Math.abs(x);
      return distance < 1.0 ? 1.0 - distance : 0.0;
    }
  }
}
