package io.rotnet.dense.detection.ops;

/**
 * mmdet 2.x {@code _do_paste_mask} for one detection: the [M, M] mask probabilities are sampled at
 * every image pixel centre of the box (plus one pixel around it) with {@code grid_sample}
 * (bilinear, {@code align_corners=False}, zero padding), then thresholded. That sampling is
 * separable along the two axes, so it is done as two weight vectors per pixel row and column.
 */
public final class MaskPaster {

  private MaskPaster() {}

  /**
   * @param probabilities [size, size] row-major mask probabilities (after the sigmoid)
   * @param box detection (x1, y1, x2, y2) in image pixels
   * @param threshold binarisation threshold (mask_thr_binary 0.5); {@code < 0} keeps probabilities
   * @return [imageHeight, imageWidth] row-major
   */
  public static float[] paste(
      float[] probabilities, int size, float[] box, int imageHeight, int imageWidth,
      float threshold) {
    float[] out = new float[imageHeight * imageWidth];
    int x0 = Math.max((int) Math.floor(box[0]) - 1, 0);
    int y0 = Math.max((int) Math.floor(box[1]) - 1, 0);
    int x1 = Math.min((int) Math.ceil(box[2]) + 1, imageWidth);
    int y1 = Math.min((int) Math.ceil(box[3]) + 1, imageHeight);
    if (x1 <= x0 || y1 <= y0) {
      return out;
    }
    float[][] wy = axis(box[1], box[3], y0, y1, size);
    float[][] wx = axis(box[0], box[2], x0, x1, size);
    int[] ly = lows(box[1], box[3], y0, y1, size);
    int[] lx = lows(box[0], box[2], x0, x1, size);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        float v = 0f;
        for (int a = 0; a < 2; a++) {
          int r = ly[y - y0] + a;
          float fy = wy[y - y0][a];
          if (fy == 0f || r < 0 || r >= size) {
            continue;
          }
          for (int b = 0; b < 2; b++) {
            int c = lx[x - x0] + b;
            float fx = wx[x - x0][b];
            if (fx == 0f || c < 0 || c >= size) {
              continue;
            }
            v += fy * fx * probabilities[r * size + c];
          }
        }
        out[y * imageWidth + x] = threshold < 0 ? v : (v >= threshold ? 1f : 0f);
      }
    }
    return out;
  }

  /** Source coordinate of pixel centre p: grid g = (p + 0.5 - lo) / (hi - lo) * 2 - 1 unnormalised. */
  private static float source(float lo, float hi, int p, int size) {
    float g = (p + 0.5f - lo) / (hi - lo) * 2f - 1f;
    if (Float.isInfinite(g)) {
      g = 0f; // mmdet zeroes infinite grid values (degenerate boxes)
    }
    return ((g + 1f) * size - 1f) / 2f;
  }

  private static int[] lows(float lo, float hi, int from, int to, int size) {
    int[] out = new int[to - from];
    for (int p = from; p < to; p++) {
      out[p - from] = (int) Math.floor(source(lo, hi, p, size));
    }
    return out;
  }

  private static float[][] axis(float lo, float hi, int from, int to, int size) {
    float[][] out = new float[to - from][2];
    for (int p = from; p < to; p++) {
      float u = source(lo, hi, p, size);
      float frac = u - (float) Math.floor(u);
      out[p - from][0] = 1f - frac;
      out[p - from][1] = frac;
    }
    return out;
  }
}
