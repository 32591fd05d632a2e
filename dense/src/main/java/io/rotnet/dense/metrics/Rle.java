package io.rotnet.dense.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary mask run-length encoded as pycocotools' {@code maskApi.c} does: column-major (Fortran)
 * order, alternating runs of zeros and ones starting with zeros. Includes the polygon rasteriser
 * ({@code rleFrPoly}: 5x upsampled boundary, then the y-boundary points), union of several masks,
 * area, intersection-over-union and the compressed string form ({@code rleToString} /
 * {@code rleFrString}: LEB128-like, 6 bits a character, differences to the count two back).
 */
public final class Rle {
  private final int height;
  private final int width;
  private final long[] counts;

  public Rle(int height, int width, long[] counts) {
    this.height = height;
    this.width = width;
    this.counts = counts.clone();
    long total = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative run length " + c);
      }
      total += c;
    }
    if (total != (long) height * width) {
      throw new IllegalArgumentException(
          "run lengths sum to " + total + ", the mask has " + height + "x" + width + " pixels");
    }
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public long[] counts() {
    return counts.clone();
  }

  /** Encodes a column-major mask ({@code mask[x * height + y]}). */
  public static Rle encodeColumnMajor(boolean[] mask, int height, int width) {
    List<Long> runs = new ArrayList<>();
    boolean value = false;
    long run = 0;
    for (boolean pixel : mask) {
      if (pixel != value) {
        runs.add(run);
        run = 0;
        value = pixel;
      }
      run++;
    }
    runs.add(run);
    return new Rle(height, width, runs.stream().mapToLong(Long::longValue).toArray());
  }

  /** Encodes a row-major mask ({@code mask[y * width + x]}). */
  public static Rle encodeRowMajor(boolean[] mask, int height, int width) {
    boolean[] columns = new boolean[mask.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        columns[x * height + y] = mask[y * width + x];
      }
    }
    return encodeColumnMajor(columns, height, width);
  }

  /** The mask in row-major order. */
  public boolean[] decodeRowMajor() {
    boolean[] mask = new boolean[height * width];
    long at = 0;
    boolean value = false;
    for (long run : counts) {
      if (value) {
        for (long i = at; i < at + run; i++) {
          int x = (int) (i / height);
          int y = (int) (i % height);
          mask[y * width + x] = true;
        }
      }
      at += run;
      value = !value;
    }
    return mask;
  }

  public long area() {
    long area = 0;
    for (int i = 1; i < counts.length; i += 2) {
      area += counts[i];
    }
    return area;
  }

  /** {@code rleFrPoly}: one polygon {@code [x0, y0, x1, y1, ...]} in pixel coordinates. */
  public static Rle fromPolygon(double[] xy, int height, int width) {
    int k = xy.length / 2;
    double scale = 5;
    int[] x = new int[k + 1];
    int[] y = new int[k + 1];
    for (int j = 0; j < k; j++) {
      x[j] = (int) (scale * xy[2 * j] + .5);
      y[j] = (int) (scale * xy[2 * j + 1] + .5);
    }
    x[k] = x[0];
    y[k] = y[0];
    int m = 0;
    for (int j = 0; j < k; j++) {
      m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
    }
    int[] u = new int[m];
    int[] v = new int[m];
    m = 0;
    for (int j = 0; j < k; j++) {
      int xs = x[j];
      int xe = x[j + 1];
      int ys = y[j];
      int ye = y[j + 1];
      int dx = Math.abs(xe - xs);
      int dy = Math.abs(ys - ye);
      boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
      if (flip) {
        int t = xs;
        xs = xe;
        xe = t;
        t = ys;
        ys = ye;
        ye = t;
      }
      double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
      if (dx >= dy) {
        for (int d = 0; d <= dx; d++) {
          int t = flip ? dx - d : d;
          u[m] = t + xs;
          v[m] = (int) (ys + s * t + .5);
          m++;
        }
      } else {
        for (int d = 0; d <= dy; d++) {
          int t = flip ? dy - d : d;
          v[m] = t + ys;
          u[m] = (int) (xs + s * t + .5);
          m++;
        }
      }
    }
    // points on the y-boundary, downsampled
    int points = m;
    long[] a = new long[points + 1];
    int n = 0;
    for (int j = 1; j < points; j++) {
      if (u[j] != u[j - 1]) {
        double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
        xd = (xd + .5) / scale - .5;
        if (Math.floor(xd) != xd || xd < 0 || xd > width - 1) {
          continue;
        }
        double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
        yd = (yd + .5) / scale - .5;
        if (yd < 0) {
          yd = 0;
        } else if (yd > height) {
          yd = height;
        }
        yd = Math.ceil(yd);
        a[n++] = (long) (int) xd * height + (int) yd;
      }
    }
    a[n++] = (long) height * width;
    long[] sorted = Arrays.copyOf(a, n);
    Arrays.sort(sorted);
    long previous = 0;
    for (int j = 0; j < n; j++) {
      long t = sorted[j];
      sorted[j] -= previous;
      previous = t;
    }
    long[] b = new long[n];
    int j = 0;
    int out = 0;
    b[out++] = sorted[j++];
    while (j < n) {
      if (sorted[j] > 0) {
        b[out++] = sorted[j++];
      } else {
        j++;
        if (j < n) {
          b[out - 1] += sorted[j++];
        }
      }
    }
    return new Rle(height, width, Arrays.copyOf(b, out));
  }

  /** Union of masks of one size (pycocotools' {@code merge(..., intersect=0)}). */
  public static Rle union(List<Rle> masks) {
    if (masks.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    Rle first = masks.get(0);
    if (masks.size() == 1) {
      return first;
    }
    boolean[] merged = new boolean[first.height * first.width];
    for (Rle r : masks) {
      if (r.height != first.height || r.width != first.width) {
        throw new IllegalArgumentException("masks of different sizes cannot be merged");
      }
      boolean[] column = r.decodeColumnMajor();
      for (int i = 0; i < merged.length; i++) {
        merged[i] |= column[i];
      }
    }
    return encodeColumnMajor(merged, first.height, first.width);
  }

  private boolean[] decodeColumnMajor() {
    boolean[] mask = new boolean[height * width];
    int at = 0;
    boolean value = false;
    for (long run : counts) {
      if (value) {
        Arrays.fill(mask, at, (int) (at + run), true);
      }
      at += (int) run;
      value = !value;
    }
    return mask;
  }

  /** Pixels set in both masks, walking the runs ({@code rleIou}'s loop). */
  public long intersection(Rle other) {
    if (other.height != height || other.width != width) {
      throw new IllegalArgumentException("masks of different sizes");
    }
    long inter = 0;
    int a = 0;
    int b = 0;
    long ca = counts.length > 0 ? counts[0] : 0;
    long cb = other.counts.length > 0 ? other.counts[0] : 0;
    boolean va = false;
    boolean vb = false;
    long remaining = (long) height * width;
    while (remaining > 0) {
      while (ca == 0 && a + 1 < counts.length) {
        ca = counts[++a];
        va = !va;
      }
      while (cb == 0 && b + 1 < other.counts.length) {
        cb = other.counts[++b];
        vb = !vb;
      }
      long c = Math.min(ca, cb);
      if (c == 0) {
        break;
      }
      if (va && vb) {
        inter += c;
      }
      ca -= c;
      cb -= c;
      remaining -= c;
    }
    return inter;
  }

  /**
   * pycocotools' mask IoU: intersection over union, or over this (the detection's) area when the
   * other is a crowd region; 0 when nothing overlaps.
   */
  public double iou(Rle gt, boolean crowd) {
    long inter = intersection(gt);
    if (inter == 0) {
      return 0;
    }
    long union = crowd ? area() : area() + gt.area() - inter;
    return inter / (double) union;
  }

  /** {@code rleToString}. */
  public String toCompressedString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        int c = (int) (x & 0x1f);
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        s.append((char) (c + 48));
      }
    }
    return s.toString();
  }

  /** {@code rleFrString}. */
  public static Rle fromCompressedString(String s, int height, int width) {
    List<Long> counts = new ArrayList<>();
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException("truncated compressed RLE");
        }
        int c = s.charAt(p) - 48;
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      int m = counts.size();
      if (m > 2) {
        x += counts.get(m - 2);
      }
      counts.add(x);
    }
    return new Rle(height, width, counts.stream().mapToLong(Long::longValue).toArray());
  }

  /** {@code rleToBbox}: {@code [x, y, w, h]} of the set pixels (zeros for an empty mask). */
  public double[] boundingBox() {
    int m = (counts.length / 2) * 2;
    if (m == 0) {
      return new double[4];
    }
    long xs = width;
    long ys = height;
    long xe = 0;
    long ye = 0;
    long cc = 0;
    long xp = 0;
    for (int j = 0; j < m; j++) {
      cc += counts[j];
      long t = cc - j % 2;
      long y = t % height;
      long x = (t - y) / height;
      if (j % 2 == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = height - 1;
      }
      xs = Math.min(xs, x);
      xe = Math.max(xe, x);
      ys = Math.min(ys, y);
      ye = Math.max(ye, y);
    }
    return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
  }
}
