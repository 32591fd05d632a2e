package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RgbImage;

/**
 * Bilinear resizing of a window of an 8-bit RGB image, in two separable passes with integer
 * weights. When shrinking, the triangle filter is widened by the scale factor, as
 * PIL's and torchvision's antialiased bilinear resize do, so a large crop is averaged rather than
 * aliased; when enlarging it is ordinary half-pixel-centred bilinear interpolation. Only pixels
 * inside the window are read. Integer arithmetic makes the result identical on every machine.
 *
 * <p>Both passes are the same loop over whole rows: the vertical pass on the window, then a
 * transpose, then the vertical pass again for the horizontal direction. Rows are held as
 * separate {@code int} arrays so that the inner loop, {@code sum[i] += row[i] * weight}, indexes
 * both arrays alike and JDK 17's C2 vectorises it (it does not for byte sources or offset
 * indices). The natural result is therefore the transposed image, which is what
 * {@link Rotations#fromTransposed} turns into the four rotations with sequential copies.
 */
public final class BilinearResampler {

  static final int PRECISION_BITS = 14;
  static final int ONE = 1 << PRECISION_BITS;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private BilinearResampler() {}

  /** Resizes {@code window} of {@code source} to {@code outWidth x outHeight} RGB bytes. */
  public static byte[] resize(RgbImage source, CropWindow window, int outWidth, int outHeight) {
    byte[] transposed = resizeTransposed(source, window, outWidth, outHeight, false);
    return Rotations.transpose(transposed, outHeight, outWidth);
  }

  /**
   * Resizes {@code window} of {@code source} to {@code outWidth x outHeight} and returns it
   * transposed: {@code outWidth} rows of {@code outHeight} RGB pixels, row x holding column x of
   * the resized image (column {@code outWidth - 1 - x} when {@code mirror}, which flips the image
   * left to right at no cost).
   */
  public static byte[] resizeTransposed(
      RgbImage source, CropWindow window, int outWidth, int outHeight, boolean mirror) {
    if (!window.fitsIn(source.width(), source.height())) {
      throw new IllegalArgumentException(
          window + " does not fit in " + source.width() + "x" + source.height());
    }
    int[][] rows = resampleRows(windowRows(source, window), Taps.compute(window.height(), outHeight));
    int[][] columns = resampleRows(transpose(rows), Taps.compute(window.width(), outWidth));
    int columnBytes = outHeight * 3;
    byte[] out = new byte[outWidth * columnBytes];
    for (int x = 0; x < outWidth; x++) {
      int[] column = columns[x];
      int o = (mirror ? outWidth - 1 - x : x) * columnBytes;
      for (int i = 0; i < columnBytes; i++) {
        out[o + i] = (byte) column[i];
      }
    }
    return out;
  }

  /** The window's rows as separate arrays of channel values 0-255. */
  private static int[][] windowRows(RgbImage source, CropWindow window) {
    byte[] pixels = source.pixels();
    int rowBytes = window.width() * 3;
    int[][] rows = new int[window.height()][rowBytes];
    for (int y = 0; y < rows.length; y++) {
      int[] row = rows[y];
      int p = source.offset(window.left(), window.top() + y);
      for (int i = 0; i < rowBytes; i++) {
        row[i] = pixels[p + i] & 0xFF;
      }
    }
    return rows;
  }

  /**
   * One pass along the row axis: output row y is the weighted sum of the input rows its taps
   * name, rounded and clamped to 0-255 (as PIL clamps between its two passes).
   */
  private static int[][] resampleRows(int[][] in, Taps taps) {
    int outRows = taps.first.length;
    int rowLength = in[0].length;
    int[][] out = new int[outRows][];
    for (int y = 0; y < outRows; y++) {
      int[] sum = new int[rowLength];
      java.util.Arrays.fill(sum, HALF);
      int w = y * taps.stride;
      for (int k = 0, n = taps.count[y]; k < n; k++) {
        int weight = taps.weights[w + k];
        int[] row = in[taps.first[y] + k];
        for (int i = 0; i < rowLength; i++) {
          sum[i] += row[i] * weight;
        }
      }
      for (int i = 0; i < rowLength; i++) {
        sum[i] = Math.max(0, Math.min(sum[i] >> PRECISION_BITS, 255));
      }
      out[y] = sum;
    }
    return out;
  }

  /** Rows of RGB pixels to columns of RGB pixels. */
  private static int[][] transpose(int[][] rows) {
    int height = rows.length;
    int width = rows[0].length / 3;
    int[][] columns = new int[width][height * 3];
    for (int y = 0; y < height; y++) {
      int[] row = rows[y];
      for (int x = 0, p = 0; x < width; x++, p += 3) {
        int[] column = columns[x];
        column[y * 3] = row[p];
        column[y * 3 + 1] = row[p + 1];
        column[y * 3 + 2] = row[p + 2];
      }
    }
    return columns;
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
