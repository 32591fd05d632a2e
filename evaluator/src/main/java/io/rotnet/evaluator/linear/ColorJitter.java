package io.rotnet.evaluator.linear;

import io.rotnet.evaluator.benchmark.Shuffle;
import java.util.random.RandomGenerator;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation)} on a PIL image: factors
 * drawn uniformly from [1 - s, 1 + s], applied in a random order, each a PIL {@code
 * ImageEnhance} blend {@code degenerate + factor * (image - degenerate)} truncated to 8 bits:
 * brightness against black, contrast against the rounded mean luma, saturation against the
 * pixel's own luma.
 */
final class ColorJitter {
  private final double brightness;
  private final double contrast;
  private final double saturation;

  ColorJitter(double brightness, double contrast, double saturation) {
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
  }

  /** Draws the order and the factors, then applies them in place; returns the factors {b, c, s}. */
  double[] apply(RgbPlanes image, RandomGenerator random) {
    int[] order = Shuffle.permutation(3, random);
    double[] factors = {
      RandomResizedCrop.uniform(random, 1 - brightness, 1 + brightness),
      RandomResizedCrop.uniform(random, 1 - contrast, 1 + contrast),
      RandomResizedCrop.uniform(random, 1 - saturation, 1 + saturation)
    };
    for (int step : order) {
      switch (step) {
        case 0 -> brightness(image, factors[0]);
        case 1 -> contrast(image, factors[1]);
        default -> saturation(image, factors[2]);
      }
    }
    return factors;
  }

  static void brightness(RgbPlanes image, double factor) {
    for (int[] plane : image.planes) {
      for (int i = 0; i < plane.length; i++) {
        plane[i] = blend(0, plane[i], factor);
      }
    }
  }

  static void contrast(RgbPlanes image, double factor) {
    int n = image.width * image.height;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += image.luma(i);
    }
    int mean = (int) (sum / n + 0.5);
    for (int[] plane : image.planes) {
      for (int i = 0; i < plane.length; i++) {
        plane[i] = blend(mean, plane[i], factor);
      }
    }
  }

  static void saturation(RgbPlanes image, double factor) {
    int n = image.width * image.height;
    for (int i = 0; i < n; i++) {
      int gray = image.luma(i);
      for (int[] plane : image.planes) {
        plane[i] = blend(gray, plane[i], factor);
      }
    }
  }

  /** PIL's ImagingBlend: float interpolation, truncated toward zero and clipped to 0..255. */
  static int blend(int degenerate, int value, double factor) {
    float v = (float) (degenerate + (float) factor * (value - degenerate));
    return v <= 0f ? 0 : v >= 255f ? 255 : (int) v;
  }
}
