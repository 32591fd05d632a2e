package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RgbImage;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * RandomResizedCrop (or the CIFAR pad-and-crop, see {@link AugmentSettings#cifar}), random
 * horizontal flip, then the crop in all four rotations. Stateless and thread-safe; all randomness
 * comes from the stream passed in (see {@link Seeds#forSample}).
 */
public final class RotNetAugmenter {

  private final AugmentSettings settings;
  private final RandomResizedCrop crop;

  public RotNetAugmenter(AugmentSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.crop =
        new RandomResizedCrop(
            settings.minScale(), settings.maxScale(), settings.minRatio(), settings.maxRatio());
  }

  public AugmentSettings settings() {
    return settings;
  }

  /** The random choices for one sample; pass it to the decoder, then to {@link #augmentRegion}. */
  public CropPlan plan(SplittableRandom random) {
    return settings.padded()
        ? new CropPlan(settings.padding(), settings.size(), settings.flipProbability(), random)
        : new CropPlan(crop, settings.flipProbability(), random);
  }

  /** Crops, flips and rotates a whole decoded image. */
  public AugmentedSample augment(RgbImage image, SplittableRandom random) {
    CropPlan plan = plan(random);
    plan.choose(image.width(), image.height());
    if (settings.padded()) {
      return renderPadded(image, plan);
    }
    return render(image, plan.window(), plan);
  }

  /**
   * Flips and rotates the crop of an image of which only {@code plan}'s window was decoded, giving
   * the same views as {@link #augment} on the whole image with the same random stream.
   */
  public AugmentedSample augmentRegion(RgbImage region, CropPlan plan) {
    if (settings.padded()) {
      return renderPadded(region, plan);
    }
    CropWindow window = plan.window();
    if (region.width() != window.width() || region.height() != window.height()) {
      throw new IllegalArgumentException(
          "decoded region is " + region.width() + "x" + region.height() + ", the plan's window "
              + window);
    }
    return render(region, new CropWindow(0, 0, window.height(), window.width()), plan);
  }

  /**
   * The pad-and-crop view, written transposed for {@link Rotations#fromTransposed}: output pixel
   * (row y, column x) is padded-image pixel (top + y, left + x'), x' = size - 1 - x when flipped,
   * zero outside the image.
   */
  private AugmentedSample renderPadded(RgbImage image, CropPlan plan) {
    int size = settings.size();
    int padding = plan.padding();
    CropWindow window = plan.window();
    byte[] transposed = new byte[size * size * 3];
    for (int x = 0; x < size; x++) {
      int column = window.left() + (plan.flip() ? size - 1 - x : x) - padding;
      if (column < 0 || column >= image.width()) {
        continue;
      }
      for (int y = 0; y < size; y++) {
        int row = window.top() + y - padding;
        if (row < 0 || row >= image.height()) {
          continue;
        }
        int from = image.offset(column, row);
        int to = (x * size + y) * 3;
        transposed[to] = image.pixels()[from];
        transposed[to + 1] = image.pixels()[from + 1];
        transposed[to + 2] = image.pixels()[from + 2];
      }
    }
    return new AugmentedSample(window, plan.flip(), size, Rotations.fromTransposed(transposed, size));
  }

  private AugmentedSample render(RgbImage image, CropWindow inImage, CropPlan plan) {
    int size = settings.size();
    byte[] transposed = BilinearResampler.resizeTransposed(image, inImage, size, size, plan.flip());
    byte[][] views = Rotations.fromTransposed(transposed, size);
    return new AugmentedSample(plan.window(), plan.flip(), size, views);
  }
}
