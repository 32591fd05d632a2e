package io.rotnet.dense.segmentation;

import io.rotnet.dense.data.LabelPng;
import io.rotnet.dense.data.RgbPlanes;
import io.rotnet.dense.data.SegmentationSample;
import io.rotnet.dense.data.VocClasses;
import io.rotnet.dense.nn.Bilinear;
import io.rotnet.evaluator.dataset.DatasetException;
import java.util.Random;

/**
 * The host side of mmseg's pipelines for {@code pascal_voc12_aug.py}, on 8-bit RGB planes:
 *
 * <ul>
 *   <li>training: {@code Resize(img_scale=(2048, 512), ratio_range=(0.5, 2.0))} (keep ratio,
 *       mmcv's {@code rescale_size}: factor {@code min(long*r / max(h, w), short*r / min(h, w))},
 *       bilinear for the image, nearest for the label), {@code RandomCrop(512, cat_max_ratio=0.75)}
 *       (up to 10 draws until no class but 255 fills 75%), flip 0.5, {@code PhotoMetricDistortion}
 *       (brightness ±32, contrast and saturation [0.5, 1.5], hue ±18, each with p 0.5, contrast
 *       before or after, OpenCV's 8-bit HSV, results rounded to 8 bits after each step as mmseg
 *       does), normalisation (mean 123.675/116.28/103.53, std 58.395/57.12/57.375) and padding to
 *       the crop (image 0, label 255);
 *   <li>test: keep-ratio resize to {@code (2048, 512)} and normalisation, no flip.
 * </ul>
 */
final class SegmentationPipeline {
  static final float[] MEAN = {123.675f, 116.28f, 103.53f};
  static final float[] STD = {58.395f, 57.12f, 57.375f};

  private final SegmentationPreset preset;

  SegmentationPipeline(SegmentationPreset preset) {
    this.preset = preset;
  }

  /** 8-bit RGB planes {@code [3][h*w]} and labels {@code [h*w]}. */
  record Sample(int width, int height, float[][] rgb, int[] labels) {}

  static Sample load(SegmentationSample sample) {
    RgbPlanes image = RgbPlanes.read(sample.image());
    LabelPng.LabelMap label = LabelPng.read(sample.label());
    int w = image.width();
    int h = image.height();
    if (label.width() != w || label.height() != h) {
      throw new DatasetException("label " + sample.label() + " is " + label.width() + "x" + label.height()
          + ", image " + w + "x" + h);
    }
    return new Sample(w, h, image.rgb(), label.labels());
  }

  /** mmcv {@code rescale_size}: the keep-ratio size for {@code (long, short)} bounds. */
  static int[] rescaleSize(int w, int h, double longSide, double shortSide) {
    double factor = Math.min(longSide / Math.max(h, w), shortSide / Math.min(h, w));
    return new int[] {(int) (w * factor + 0.5), (int) (h * factor + 0.5)};
  }

  /** A training crop: normalised CHW floats {@code [3*crop*crop]} and labels {@code [crop*crop]}. */
  record Crop(float[] image, int[] labels) {}

  Crop train(Sample s, Random random) {
    double ratio = preset.ratioMin() + random.nextDouble() * (preset.ratioMax() - preset.ratioMin());
    int[] size = rescaleSize(s.width(), s.height(), preset.scaleLong() * ratio, preset.scaleShort() * ratio);
    Sample r = resize(s, size[0], size[1]);
    int crop = preset.crop();
    int cw = Math.min(crop, r.width());
    int ch = Math.min(crop, r.height());
    int ox = 0;
    int oy = 0;
    for (int attempt = 0; attempt < 10; attempt++) {
      ox = random.nextInt(r.width() - cw + 1);
      oy = random.nextInt(r.height() - ch + 1);
      if (preset.catMaxRatio() >= 1 || acceptable(r, ox, oy, cw, ch)) {
        break;
      }
    }
    boolean flip = random.nextDouble() < 0.5;
    float[][] planes = new float[3][cw * ch];
    int[] labels = new int[cw * ch];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int sx = ox + (flip ? cw - 1 - x : x);
        int src = (oy + y) * r.width() + sx;
        for (int c = 0; c < 3; c++) {
          planes[c][y * cw + x] = r.rgb()[c][src];
        }
        labels[y * cw + x] = r.labels()[src];
      }
    }
    PhotoMetric.distort(planes, random);
    float[] image = new float[3 * crop * crop];
    int[] padded = new int[crop * crop];
    java.util.Arrays.fill(padded, VocClasses.IGNORE);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
          image[c * crop * crop + y * crop + x] = (planes[c][y * cw + x] - MEAN[c]) / STD[c];
        }
      }
    }
    for (int y = 0; y < ch; y++) {
      System.arraycopy(labels, y * cw, padded, y * crop, cw);
    }
    return new Crop(image, padded);
  }

  /** mmseg RandomCrop: more than one class present and none above cat_max_ratio (255 aside). */
  private boolean acceptable(Sample r, int ox, int oy, int cw, int ch) {
    int[] counts = new int[256];
    for (int y = oy; y < oy + ch; y++) {
      for (int x = ox; x < ox + cw; x++) {
        counts[r.labels()[y * r.width() + x] & 0xff]++;
      }
    }
    long total = 0;
    int max = 0;
    int kinds = 0;
    for (int c = 0; c < 255; c++) {
      if (counts[c] > 0) {
        kinds++;
        total += counts[c];
        max = Math.max(max, counts[c]);
      }
    }
    return kinds > 1 && max / (double) total < preset.catMaxRatio();
  }

  /** A normalised test input, CHW, at the keep-ratio test scale. */
  record TestInput(int width, int height, float[] image) {}

  TestInput test(Sample s) {
    int[] size = rescaleSize(s.width(), s.height(), preset.scaleLong(), preset.scaleShort());
    Sample r = resize(s, size[0], size[1]);
    int n = r.width() * r.height();
    float[] image = new float[3 * n];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        image[c * n + i] = (r.rgb()[c][i] - MEAN[c]) / STD[c];
      }
    }
    return new TestInput(r.width(), r.height(), image);
  }

  /** Bilinear (half-pixel, as cv2 INTER_LINEAR) for the image, rounded to 8 bits; nearest for the label. */
  static Sample resize(Sample s, int w, int h) {
    if (w == s.width() && h == s.height()) {
      return s;
    }
    float[][] rgb = new float[3][];
    for (int c = 0; c < 3; c++) {
      rgb[c] = Bilinear.resizeHost(s.rgb()[c], s.height(), s.width(), h, w, false);
      for (int i = 0; i < rgb[c].length; i++) {
        rgb[c][i] = Math.max(0, Math.min(255, Math.round(rgb[c][i])));
      }
    }
    int[] labels = new int[w * h];
    double sx = s.width() / (double) w;
    double sy = s.height() / (double) h;
    for (int y = 0; y < h; y++) {
      int yy = Math.min(s.height() - 1, (int) Math.floor(y * sy));
      for (int x = 0; x < w; x++) {
        int xx = Math.min(s.width() - 1, (int) Math.floor(x * sx));
        labels[y * w + x] = s.labels()[yy * s.width() + xx];
      }
    }
    return new Sample(w, h, rgb, labels);
  }
}
