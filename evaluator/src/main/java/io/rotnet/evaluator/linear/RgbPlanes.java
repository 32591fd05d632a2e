package io.rotnet.evaluator.linear;

import io.rotnet.evaluator.dataset.Resampler;
import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB image as three planes of ints (what PIL holds between transforms), with the
 * region resize the training views need: PIL's antialiased bilinear resampling, one axis after
 * the other with 8-bit rounding in between, as {@code Image.resize} does.
 */
final class RgbPlanes {
  final int width;
  final int height;
  /** [channel][y * width + x], values 0..255. */
  final int[][] planes;

  RgbPlanes(int width, int height) {
    this.width = width;
    this.height = height;
    this.planes = new int[3][width * height];
  }

  /** The pixels of an image, transparency composited on white (as the evaluation view does). */
  static RgbPlanes of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    RgbPlanes rgb = new RgbPlanes(width, height);
    boolean alpha = image.getColorModel().hasAlpha();
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      int a = alpha ? (p >>> 24) : 255;
      for (int c = 0; c < 3; c++) {
        int v = (p >> (16 - 8 * c)) & 0xff;
        rgb.planes[c][i] = a == 255 ? v : Math.round((v * a + 255 * (255 - a)) / 255f);
      }
    }
    return rgb;
  }

  /**
   * Resizes the region (left, top, regionWidth, regionHeight) to outWidth x outHeight and keeps
   * the window of {@code size} x {@code size} pixels at (windowLeft, windowTop) of the result.
   */
  RgbPlanes resizeRegion(
      int left, int top, int regionWidth, int regionHeight, int outWidth, int outHeight,
      int windowLeft, int windowTop, int size) {
    Resampler horizontal = new Resampler(regionWidth, outWidth, windowLeft, size);
    Resampler vertical = new Resampler(regionHeight, outHeight, windowTop, size);
    float[] region = new float[regionWidth * regionHeight];
    float[] rows = new float[regionHeight * size];
    float[] result = new float[size * size];
    RgbPlanes out = new RgbPlanes(size, size);
    for (int c = 0; c < 3; c++) {
      int[] plane = planes[c];
      for (int y = 0; y < regionHeight; y++) {
        int from = (top + y) * width + left;
        for (int x = 0; x < regionWidth; x++) {
          region[y * regionWidth + x] = plane[from + x];
        }
      }
      horizontal.rows(region, regionHeight, rows);
      for (int i = 0; i < rows.length; i++) {
        rows[i] = clamp8(Math.round(rows[i]));
      }
      vertical.columns(rows, size, result);
      for (int i = 0; i < result.length; i++) {
        out.planes[c][i] = clamp8(Math.round(result[i]));
      }
    }
    return out;
  }

  /** Mirrors left and right in place. */
  void flipHorizontally() {
    for (int[] plane : planes) {
      for (int y = 0; y < height; y++) {
        int row = y * width;
        for (int a = row, b = row + width - 1; a < b; a++, b--) {
          int tmp = plane[a];
          plane[a] = plane[b];
          plane[b] = tmp;
        }
      }
    }
  }

  /** PIL's {@code convert("L")}: (19595 R + 38470 G + 7471 B + 0x8000) >> 16. */
  int luma(int i) {
    return (planes[0][i] * 19595 + planes[1][i] * 38470 + planes[2][i] * 7471 + 0x8000) >> 16;
  }

  static int clamp8(int v) {
    return Math.min(255, Math.max(0, v));
  }
}
