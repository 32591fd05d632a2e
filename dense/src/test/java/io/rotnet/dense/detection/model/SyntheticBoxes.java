package io.rotnet.dense.detection.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * In-memory scenes for the detector tests: filled rectangles and ellipses of three colour-coded
 * classes on a noisy background, with their boxes and bitmaps, normalised as the references
 * normalise RGB.
 */
final class SyntheticBoxes {

  private static final float[] MEAN = {123.675f, 116.28f, 103.53f};
  private static final float[] STD = {58.395f, 57.12f, 57.375f};
  private static final float[][] COLOURS = {{230, 40, 40}, {40, 200, 60}, {50, 70, 230}};

  private SyntheticBoxes() {}

  /** A batch of {@code n} scenes of {@code height x width} (multiples of 32) with 2-3 objects. */
  static DetectionBatch batch(int n, int height, int width, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[n * 3 * height * width];
    List<DetectionBatch.Image> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[][] rgb = new float[3][height * width];
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < height * width; k++) {
          rgb[c][k] = 110 + 40 * (float) random.nextGaussian();
        }
      }
      int objects = 2 + random.nextInt(2);
      float[] boxes = new float[4 * objects];
      int[] labels = new int[objects];
      List<float[]> masks = new ArrayList<>();
      for (int o = 0; o < objects; o++) {
        int w = 24 + random.nextInt(Math.min(40, width / 2));
        int h = 24 + random.nextInt(Math.min(40, height / 2));
        int x0 = random.nextInt(width - w);
        int y0 = random.nextInt(height - h);
        labels[o] = o % 3;
        boolean ellipse = random.nextBoolean();
        float[] mask = new float[height * width];
        for (int y = y0; y < y0 + h; y++) {
          for (int x = x0; x < x0 + w; x++) {
            float u = (x + 0.5f - x0 - w / 2f) / (w / 2f);
            float v = (y + 0.5f - y0 - h / 2f) / (h / 2f);
            if (!ellipse || u * u + v * v <= 1) {
              mask[y * width + x] = 1f;
              for (int c = 0; c < 3; c++) {
                rgb[c][y * width + x] = COLOURS[labels[o]][c] + 10 * (float) random.nextGaussian();
              }
            }
          }
        }
        boxes[4 * o] = x0;
        boxes[4 * o + 1] = y0;
        boxes[4 * o + 2] = x0 + w;
        boxes[4 * o + 3] = y0 + h;
        masks.add(mask);
      }
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < height * width; k++) {
          pixels[(i * 3 + c) * height * width + k] = (rgb[c][k] - MEAN[c]) / STD[c];
        }
      }
      images.add(new DetectionBatch.Image(height, width, boxes, labels, masks));
    }
    return new DetectionBatch(pixels, height, width, images);
  }
}
