package io.rotnet.dense.segmentation;

import java.util.Random;

/**
 * mmseg's {@code PhotoMetricDistortion} on 8-bit RGB planes: each step runs with probability 0.5
 * and its result is clipped and truncated to 8 bits as mmseg's {@code convert}; saturation and
 * hue work in OpenCV's 8-bit HSV (H in [0, 180)).
 */
final class PhotoMetric {
  private PhotoMetric() {}

  static void distort(float[][] rgb, Random random) {
    if (random.nextBoolean()) {
      float delta = (float) (-32 + 64 * random.nextDouble());
      for (float[] plane : rgb) {
        convert(plane, 1f, delta);
      }
    }
    boolean contrastFirst = random.nextBoolean();
    if (contrastFirst) {
      contrast(rgb, random);
    }
    if (random.nextBoolean()) {
      float alpha = (float) (0.5 + random.nextDouble());
      float[][] hsv = toHsv(rgb);
      convert(hsv[1], alpha, 0);
      fromHsv(hsv, rgb);
    }
    if (random.nextBoolean()) {
      int shift = -18 + random.nextInt(36);
      float[][] hsv = toHsv(rgb);
      for (int i = 0; i < hsv[0].length; i++) {
        hsv[0][i] = Math.floorMod((int) hsv[0][i] + shift, 180);
      }
      fromHsv(hsv, rgb);
    }
    if (!contrastFirst) {
      contrast(rgb, random);
    }
  }

  private static void contrast(float[][] rgb, Random random) {
    if (random.nextBoolean()) {
      float alpha = (float) (0.5 + random.nextDouble());
      for (float[] plane : rgb) {
        convert(plane, alpha, 0);
      }
    }
  }

  /** {@code np.clip(img * alpha + beta, 0, 255).astype(np.uint8)}. */
  private static void convert(float[] plane, float alpha, float beta) {
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (int) Math.max(0, Math.min(255, plane[i] * alpha + beta));
    }
  }

  static float[][] toHsv(float[][] rgb) {
    int n = rgb[0].length;
    float[][] hsv = new float[3][n];
    for (int i = 0; i < n; i++) {
      float r = rgb[0][i];
      float g = rgb[1][i];
      float b = rgb[2][i];
      float v = Math.max(r, Math.max(g, b));
      float min = Math.min(r, Math.min(g, b));
      float d = v - min;
      float s = v == 0 ? 0 : 255f * d / v;
      float h;
      if (d == 0) {
        h = 0;
      } else if (v == r) {
        h = 60f * (g - b) / d;
      } else if (v == g) {
        h = 120f + 60f * (b - r) / d;
      } else {
        h = 240f + 60f * (r - g) / d;
      }
      if (h < 0) {
        h += 360;
      }
      hsv[0][i] = Math.round(h / 2) % 180;
      hsv[1][i] = Math.round(s);
      hsv[2][i] = v;
    }
    return hsv;
  }

  static void fromHsv(float[][] hsv, float[][] rgb) {
    for (int i = 0; i < hsv[0].length; i++) {
      float h = hsv[0][i] * 2;
      float s = hsv[1][i] / 255f;
      float v = hsv[2][i];
      float c = v * s;
      float x = c * (1 - Math.abs((h / 60f) % 2 - 1));
      float m = v - c;
      float r;
      float g;
      float b;
      int sector = (int) (h / 60f) % 6;
      switch (sector) {
        case 0 -> { r = c; g = x; b = 0; }
        case 1 -> { r = x; g = c; b = 0; }
        case 2 -> { r = 0; g = c; b = x; }
        case 3 -> { r = 0; g = x; b = c; }
        case 4 -> { r = x; g = 0; b = c; }
        default -> { r = c; g = 0; b = x; }
      }
      rgb[0][i] = Math.max(0, Math.min(255, Math.round(r + m)));
      rgb[1][i] = Math.max(0, Math.min(255, Math.round(g + m)));
      rgb[2][i] = Math.max(0, Math.min(255, Math.round(b + m)));
    }
  }
}
