package io.rotnet.producer.augment;

/**
 * The RotNet input pipeline before normalization: RandomResizedCrop to {@code size} (area
 * fraction {@code minScale..maxScale}, aspect ratio {@code minRatio..maxRatio}), a horizontal
 * flip with probability {@code flipProbability}, then the four rotations.
 */
public record AugmentSettings(
    int size,
    double minScale,
    double maxScale,
    double minRatio,
    double maxRatio,
    double flipProbability) {

  public static final int DEFAULT_SIZE = 224;

  public AugmentSettings {
    if (size < 1 || size > 4096) {
      throw new IllegalArgumentException("crop size must be in 1..4096, got " + size);
    }
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException(
          "scale range must satisfy 0 < min <= max <= 1, got " + minScale + ".." + maxScale);
    }
    if (!(minRatio > 0 && minRatio <= maxRatio)) {
      throw new IllegalArgumentException(
          "ratio range must satisfy 0 < min <= max, got " + minRatio + ".." + maxRatio);
    }
    if (!(flipProbability >= 0 && flipProbability <= 1)) {
      throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
    }
  }

  /** MMSelfSup's RotNet setting at the given output size. */
  public static AugmentSettings rotnet(int size) {
    return new AugmentSettings(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5);
  }

  public AugmentSettings withSize(int newSize) {
    return new AugmentSettings(newSize, minScale, maxScale, minRatio, maxRatio, flipProbability);
  }

  public AugmentSettings withFlipProbability(double probability) {
    return new AugmentSettings(size, minScale, maxScale, minRatio, maxRatio, probability);
  }
}
