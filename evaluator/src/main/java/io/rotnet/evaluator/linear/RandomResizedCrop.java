package io.rotnet.evaluator.linear;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code RandomResizedCrop.get_params}: up to ten draws of an area fraction in
 * [0.08, 1] and a log-uniform aspect ratio in [3/4, 4/3]; the first box that fits is placed
 * uniformly; otherwise the centre crop with the ratio clamped to the range.
 */
final class RandomResizedCrop {
  static final double MIN_SCALE = 0.08;
  static final double MAX_SCALE = 1.0;
  static final double MIN_RATIO = 3.0 / 4.0;
  static final double MAX_RATIO = 4.0 / 3.0;

  private RandomResizedCrop() {}

  /** The box {left, top, width, height} for an image of that size. */
  static int[] box(int width, int height, RandomGenerator random) {
    double area = (double) width * height;
    double logMin = Math.log(MIN_RATIO);
    double logMax = Math.log(MAX_RATIO);
    for (int attempt = 0; attempt < 10; attempt++) {
      double targetArea = area * uniform(random, MIN_SCALE, MAX_SCALE);
      double ratio = Math.exp(uniform(random, logMin, logMax));
      int w = (int) Math.round(Math.sqrt(targetArea * ratio));
      int h = (int) Math.round(Math.sqrt(targetArea / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = random.nextInt(height - h + 1);
        int left = random.nextInt(width - w + 1);
        return new int[] {left, top, w, h};
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < MIN_RATIO) {
      w = width;
      h = (int) Math.round(w / MIN_RATIO);
    } else if (inRatio > MAX_RATIO) {
      h = height;
      w = (int) Math.round(h * MAX_RATIO);
    } else {
      w = width;
      h = height;
    }
    return new int[] {(width - w) / 2, (height - h) / 2, w, h};
  }

  static double uniform(RandomGenerator random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
