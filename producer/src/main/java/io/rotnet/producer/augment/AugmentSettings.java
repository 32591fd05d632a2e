package io.rotnet.producer.augment;

/**
 * The RotNet input pipeline before normalization: RandomResizedCrop to {@code size} (area
 * fraction {@code minScale..maxScale}, aspect ratio {@code minRatio..maxRatio}), a horizontal
 * flip with probability {@code flipProbability}, then the four rotations.
 *
 * <p>With {@code padding > 0} the crop is instead the CIFAR one of the RotNet paper's code
 * ({@link #cifar}): torchvision's {@code RandomCrop(size, padding)}, a window of {@code size}
 * pixels at a uniform offset in the image zero-padded by {@code padding} on every side, no
 * resizing (scale and ratio are unused); then the flip and the rotations as above.
 */
public record AugmentSettings(
    int size,
    double minScale,
    double maxScale,
    double minRatio,
    double maxRatio,
    double flipProbability,
    int padding) {

  public static final int DEFAULT_SIZE = 224;

  /** Names accepted by {@link #named}. */
  public static final java.util.List<String> NAMES = java.util.List.of("rotnet", "cifar");

  /** RandomResizedCrop settings (no padding). */
  public AugmentSettings(
      int size, double minScale, double maxScale, double minRatio, double maxRatio, double flipProbability) {
    this(size, minScale, maxScale, minRatio, maxRatio, flipProbability, 0);
  }

  public AugmentSettings {
    if (padding < 0 || padding > 1024) {
      throw new IllegalArgumentException("padding must be in 0..1024, got " + padding);
    }
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

  /**
   * The RotNet paper's CIFAR-10 training view (FeatureLearningRotNet {@code dataloader.py}:
   * {@code RandomCrop(32, padding=4)}, {@code RandomHorizontalFlip()}) at the given size.
   */
  public static AugmentSettings cifar(int size) {
    return new AugmentSettings(size, 1.0, 1.0, 1.0, 1.0, 0.5, 4);
  }

  /** {@code rotnet} (RandomResizedCrop) or {@code cifar} (pad 4 and crop) at the given size. */
  public static AugmentSettings named(String name, int size) {
    switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "rotnet":
        return rotnet(size);
      case "cifar":
        return cifar(size);
      default:
        throw new IllegalArgumentException("unknown augmentation '" + name + "' (expected one of " + NAMES + ")");
    }
  }

  /** True for the pad-and-crop view. */
  public boolean padded() {
    return padding > 0;
  }

  public AugmentSettings withSize(int newSize) {
    return new AugmentSettings(newSize, minScale, maxScale, minRatio, maxRatio, flipProbability, padding);
  }

  public AugmentSettings withFlipProbability(double probability) {
    return new AugmentSettings(size, minScale, maxScale, minRatio, maxRatio, probability, padding);
  }
}
