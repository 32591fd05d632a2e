package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RgbImage;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * RandomResizedCrop, random horizontal flip, then the crop in all four rotations. Stateless and
 * thread-safe; all randomness comes from the stream passed in (see {@link Seeds#forSample}).
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
    return new CropPlan(crop, settings.flipProbability(), random);
  }

  /** Crops, flips and rotates a whole decoded image. */
  public AugmentedSample augment(RgbImage image, SplittableRandom random) {
    CropPlan plan = plan(random);
    plan.choose(image.width(), image.height());
    return render(image, plan.window(), plan);
  }

  /**
   * Flips and rotates the crop of an image of which only {@code plan}'s window was decoded, giving
   * the same views as {@link #augment} on the whole image with the same random stream.
   */
  public AugmentedSample augmentRegion(RgbImage region, CropPlan plan) {
    CropWindow window = plan.window();
    if (region.width() != window.width() || region.height() != window.height()) {
      throw new IllegalArgumentException(
          "decoded region is " + region.width() + "x" + region.height() + ", the plan's window "
              + window);
    }
    return render(region, new CropWindow(0, 0, window.height(), window.width()), plan);
  }

  private AugmentedSample render(RgbImage image, CropWindow inImage, CropPlan plan) {
    int size = settings.size();
    byte[] transposed = BilinearResampler.resizeTransposed(image, inImage, size, size, plan.flip());
    byte[][] views = Rotations.fromTransposed(transposed, size);
    return new AugmentedSample(plan.window(), plan.flip(), size, views);
  }
}
