package io.rotnet.producer.augment;

import java.util.SplittableRandom;

/**
 * Picks the window of torchvision's RandomResizedCrop: an area fraction drawn uniformly from
 * {@code scale}, an aspect ratio drawn log-uniformly from {@code ratio}, up to ten tries for a
 * window that fits, then a centre crop clamped to the ratio range as the fallback.
 */
public final class RandomResizedCrop {

  static final int ATTEMPTS = 10;

  private final double minScale;
  private final double maxScale;
  private final double minLogRatio;
  private final double maxLogRatio;
  private final double minRatio;
  private final double maxRatio;

  public RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio) {
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException(
          "scale range must satisfy 0 < min <= max <= 1, got " + minScale + ".." + maxScale);
    }
    if (!(minRatio > 0 && minRatio <= maxRatio)) {
      throw new IllegalArgumentException(
          "ratio range must satisfy 0 < min <= max, got " + minRatio + ".." + maxRatio);
    }
    this.minScale = minScale;
    this.maxScale = maxScale;
    this.minRatio = minRatio;
    this.maxRatio = maxRatio;
    this.minLogRatio = Math.log(minRatio);
    this.maxLogRatio = Math.log(maxRatio);
  }

  /** The RotNet / ImageNet setting: scale 0.08-1, ratio 3/4-4/3. */
  public static RandomResizedCrop imagenet() {
    return new RandomResizedCrop(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
  }

  public CropWindow choose(int imageWidth, int imageHeight, SplittableRandom random) {
    double area = (double) imageWidth * imageHeight;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double targetArea = area * uniform(random, minScale, maxScale);
      double aspect = Math.exp(uniform(random, minLogRatio, maxLogRatio));
      // Math.rint rounds halves to even, as Python's round() does.
      int width = (int) Math.rint(Math.sqrt(targetArea * aspect));
      int height = (int) Math.rint(Math.sqrt(targetArea / aspect));
      if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight) {
        int top = random.nextInt(imageHeight - height + 1);
        int left = random.nextInt(imageWidth - width + 1);
        return new CropWindow(top, left, height, width);
      }
    }
    return centreFallback(imageWidth, imageHeight);
  }

  /** The largest centred window whose aspect ratio lies in the ratio range. */
  CropWindow centreFallback(int imageWidth, int imageHeight) {
    double inRatio = (double) imageWidth / imageHeight;
    int width = imageWidth;
    int height = imageHeight;
    if (inRatio < minRatio) {
      height = Math.max(1, Math.min(imageHeight, (int) Math.rint(width / minRatio)));
    } else if (inRatio > maxRatio) {
      width = Math.max(1, Math.min(imageWidth, (int) Math.rint(height * maxRatio)));
    }
    return new CropWindow((imageHeight - height) / 2, (imageWidth - width) / 2, height, width);
  }

  private static double uniform(SplittableRandom random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
