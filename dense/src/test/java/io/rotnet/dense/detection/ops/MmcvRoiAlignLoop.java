package io.rotnet.dense.detection.ops;

/**
 * Scalar port of mmcv's CPU {@code ROIAlignForward} ({@code aligned=True}, average pooling), loop
 * for loop, as the reference the separable matrix form is checked against.
 */
final class MmcvRoiAlignLoop {

  private MmcvRoiAlignLoop() {}

  /** features [B, C, H, W] row-major; rois (x1, y1, x2, y2); output [R, C, PH, PW]. */
  static double[] forward(
      double[] features, int channels, int height, int width, float[] rois, int[] imageIndex,
      int pooledH, int pooledW, float scale, int samplingRatio) {
    int n = rois.length / 4;
    double[] out = new double[n * channels * pooledH * pooledW];
    for (int r = 0; r < n; r++) {
      float sw = rois[4 * r] * scale - 0.5f;
      float sh = rois[4 * r + 1] * scale - 0.5f;
      float ew = rois[4 * r + 2] * scale - 0.5f;
      float eh = rois[4 * r + 3] * scale - 0.5f;
      float rw = ew - sw;
      float rh = eh - sh;
      float bh = rh / pooledH;
      float bw = rw / pooledW;
      int gh = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(rh / pooledH);
      int gw = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(rw / pooledW);
      int count = Math.max(gh * gw, 1);
      for (int c = 0; c < channels; c++) {
        int plane = (imageIndex[r] * channels + c) * height * width;
        for (int ph = 0; ph < pooledH; ph++) {
          for (int pw = 0; pw < pooledW; pw++) {
            double acc = 0;
            for (int iy = 0; iy < gh; iy++) {
              float y = sh + ph * bh + (iy + .5f) * bh / gh;
              for (int ix = 0; ix < gw; ix++) {
                float x = sw + pw * bw + (ix + .5f) * bw / gw;
                acc += bilinear(features, plane, height, width, y, x);
              }
            }
            out[((r * channels + c) * pooledH + ph) * pooledW + pw] = acc / count;
          }
        }
      }
    }
    return out;
  }

  private static double bilinear(double[] f, int plane, int height, int width, float y, float x) {
    if (y < -1.0 || y > height || x < -1.0 || x > width) {
      return 0;
    }
    if (y <= 0) {
      y = 0;
    }
    if (x <= 0) {
      x = 0;
    }
    int yLow = (int) y;
    int xLow = (int) x;
    int yHigh;
    int xHigh;
    if (yLow >= height - 1) {
      yHigh = yLow = height - 1;
      y = yLow;
    } else {
      yHigh = yLow + 1;
    }
    if (xLow >= width - 1) {
      xHigh = xLow = width - 1;
      x = xLow;
    } else {
      xHigh = xLow + 1;
    }
    float ly = y - yLow;
    float lx = x - xLow;
    float hy = 1f - ly;
    float hx = 1f - lx;
    return hy * hx * f[plane + yLow * width + xLow]
        + hy * lx * f[plane + yLow * width + xHigh]
        + ly * hx * f[plane + yHigh * width + xLow]
        + ly * lx * f[plane + yHigh * width + xHigh];
  }
}
