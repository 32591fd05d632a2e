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

  public AugmentedSample augment(RgbImage image, SplittableRandom random) {
    int size = settings.size();
    CropWindow window = crop.choose(image.width(), image.height(), random);
    boolean flip = random.nextDouble() < settings.flipProbability();
    byte[] upright = BilinearResampler.resize(image, window, size, size);
    if (flip) {
      Rotations.flipHorizontally(upright, size, size);
    }
    byte[][] views = new byte[AugmentedSample.ROTATIONS][];
    views[0] = upright;
    for (int k = 1; k < AugmentedSample.ROTATIONS; k++) {
      views[k] = Rotations.rotate(upright, size, k);
    }
    return new AugmentedSample(window, flip, size, views);
  }
}
