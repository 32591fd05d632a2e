package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.producer.decode.RgbImage;
import org.junit.jupiter.api.Test;

class RotNetAugmenterTest {

  private final RgbImage image = BilinearResamplerTest.noise(120, 90, 11);

  @Test
  void producesFourViewsOfTheConfiguredSize() {
    AugmentedSample sample = new RotNetAugmenter(AugmentSettings.rotnet(32)).augment(image, Seeds.forSample(1, 0, 0));
    assertThat(sample.views().length).isEqualTo(4);
    for (byte[] view : sample.views()) {
      assertThat(view).hasSize(32 * 32 * 3);
    }
    for (int k = 1; k < 4; k++) {
      assertThat(sample.view(k)).isEqualTo(Rotations.rotate(sample.view(0), 32, k));
    }
  }

  @Test
  void sameSeedEpochAndSampleGiveTheSameBytes() {
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(24));
    AugmentedSample first = augmenter.augment(image, Seeds.forSample(9, 2, 5));
    AugmentedSample again = augmenter.augment(image, Seeds.forSample(9, 2, 5));
    assertThat(again.window()).isEqualTo(first.window());
    assertThat(again.flipped()).isEqualTo(first.flipped());
    for (int k = 0; k < 4; k++) {
      assertThat(again.view(k)).isEqualTo(first.view(k));
    }
    AugmentedSample otherEpoch = augmenter.augment(image, Seeds.forSample(9, 3, 5));
    assertThat(otherEpoch.view(0)).isNotEqualTo(first.view(0));
  }

  @Test
  void flipIsTheMirrorOfTheUnflippedCrop() {
    AugmentSettings always = AugmentSettings.rotnet(20).withFlipProbability(1.0);
    AugmentSettings never = AugmentSettings.rotnet(20).withFlipProbability(0.0);
    AugmentedSample flipped = new RotNetAugmenter(always).augment(image, Seeds.forSample(3, 0, 1));
    AugmentedSample plain = new RotNetAugmenter(never).augment(image, Seeds.forSample(3, 0, 1));
    assertThat(flipped.window()).isEqualTo(plain.window());
    byte[] mirrored = plain.view(0).clone();
    Rotations.flipHorizontally(mirrored, 20, 20);
    assertThat(flipped.view(0)).isEqualTo(mirrored);
  }

  @Test
  void flipHappensAboutHalfTheTime() {
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(8));
    int flips = 0;
    for (int i = 0; i < 1_000; i++) {
      if (augmenter.augment(image, Seeds.forSample(4, 0, i)).flipped()) {
        flips++;
      }
    }
    assertThat(flips).isBetween(430, 570);
  }
}
