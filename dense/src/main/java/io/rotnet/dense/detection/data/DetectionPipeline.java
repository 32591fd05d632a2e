package io.rotnet.dense.detection.data;

import io.rotnet.dense.detection.model.DetectionBatch;
import io.rotnet.dense.nn.Bilinear;
import java.util.ArrayList;
import java.util.List;

/**
 * mmdet 2.x's detection pipeline on 8-bit RGB planes: {@code Resize} with {@code keep_ratio}
 * (mmcv {@code rescale_size}: factor = min(long / max side, short / min side), sides rounded),
 * bilinear as cv2, boxes scaled by the per-axis factors and clipped to the resized image;
 * {@code RandomFlip} (horizontal: {@code x1' = w - x2}); {@code Normalize} with the references'
 * RGB mean and std; {@code Pad} of the whole batch to a multiple of the divisor (zeros after
 * normalisation, as mmdet pads the normalised image).
 */
public final class DetectionPipeline {
  static final float[] MEAN = {123.675f, 116.28f, 103.53f};
  static final float[] STD = {58.395f, 57.12f, 57.375f};

  private DetectionPipeline() {}

  /**
   * One resized image.
   *
   * @param pixels normalised CHW floats {@code [3 * height * width]}
   * @param scaleX resized width / original width (mmdet's w_scale; boxes back to the original divide by it)
   * @param scaleY resized height / original height
   */
  public record Resized(float[] pixels, int width, int height, float scaleX, float scaleY, float[] boxes) {}

  /** mmcv {@code rescale_size}: the keep-ratio size {@code {w, h}} for the (long, short) bounds. */
  public static int[] rescaleSize(int w, int h, double longSide, double shortSide) {
    double factor = Math.min(longSide / Math.max(h, w), shortSide / Math.min(h, w));
    return new int[] {(int) (w * factor + 0.5), (int) (h * factor + 0.5)};
  }

  /**
   * Resizes {@code rgb} ([3][h * w], 0-255) to the short side {@code shortSide} bounded by
   * {@code longSide}, flips it when asked, normalises it; {@code boxes} (x1, y1, x2, y2 per box)
   * follow the image.
   */
  public static Resized resize(float[][] rgb, int w, int h, float[] boxes, int shortSide, int longSide, boolean flip) {
    int[] size = rescaleSize(w, h, longSide, shortSide);
    int nw = size[0];
    int nh = size[1];
    float sx = nw / (float) w;
    float sy = nh / (float) h;
    float[] pixels = new float[3 * nw * nh];
    for (int c = 0; c < 3; c++) {
      float[] plane = nw == w && nh == h ? rgb[c] : Bilinear.resizeHost(rgb[c], h, w, nh, nw, false);
      for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
          float v = Math.max(0, Math.min(255, Math.round(plane[y * nw + x]))); // cv2 keeps 8 bits
          int tx = flip ? nw - 1 - x : x;
          pixels[(c * nh + y) * nw + tx] = (v - MEAN[c]) / STD[c];
        }
      }
    }
    float[] out = new float[boxes.length];
    for (int b = 0; b < boxes.length / 4; b++) {
      float x1 = clip(boxes[4 * b] * sx, nw);
      float y1 = clip(boxes[4 * b + 1] * sy, nh);
      float x2 = clip(boxes[4 * b + 2] * sx, nw);
      float y2 = clip(boxes[4 * b + 3] * sy, nh);
      out[4 * b] = flip ? nw - x2 : x1;
      out[4 * b + 1] = y1;
      out[4 * b + 2] = flip ? nw - x1 : x2;
      out[4 * b + 3] = y2;
    }
    return new Resized(pixels, nw, nh, sx, sy, out);
  }

  /**
   * A row-major bitmap resized to {@code (nw, nh)} as mmdet's {@code BitmapMasks.rescale} does
   * (cv2 nearest: source pixel {@code floor(x * w / nw)}), flipped when the image was.
   */
  public static float[] resizeMask(boolean[] mask, int w, int h, int nw, int nh, boolean flip) {
    float[] out = new float[nw * nh];
    double fx = w / (double) nw;
    double fy = h / (double) nh;
    for (int y = 0; y < nh; y++) {
      int sy = Math.min(h - 1, (int) Math.floor(y * fy));
      for (int x = 0; x < nw; x++) {
        int sx = Math.min(w - 1, (int) Math.floor(x * fx));
        if (mask[sy * w + sx]) {
          out[y * nw + (flip ? nw - 1 - x : x)] = 1f;
        }
      }
    }
    return out;
  }

  private static float clip(float v, int limit) {
    return Math.max(0f, Math.min(limit, v));
  }

  /**
   * Pads the images into one batch of the largest height and width, each rounded up to a
   * multiple of {@code padDivisor}.
   */
  public static DetectionBatch batch(List<Resized> images, List<int[]> labels, List<List<float[]>> masks, int padDivisor) {
    int ph = 0;
    int pw = 0;
    for (Resized r : images) {
      ph = Math.max(ph, r.height());
      pw = Math.max(pw, r.width());
    }
    ph = (ph + padDivisor - 1) / padDivisor * padDivisor;
    pw = (pw + padDivisor - 1) / padDivisor * padDivisor;
    float[] pixels = new float[images.size() * 3 * ph * pw];
    List<DetectionBatch.Image> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Resized r = images.get(i);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < r.height(); y++) {
          System.arraycopy(r.pixels(), (c * r.height() + y) * r.width(), pixels,
              ((i * 3 + c) * ph + y) * pw, r.width());
        }
      }
      out.add(new DetectionBatch.Image(r.height(), r.width(), r.boxes(), labels.get(i),
          masks == null ? null : masks.get(i)));
    }
    return new DetectionBatch(pixels, ph, pw, out);
  }
}
