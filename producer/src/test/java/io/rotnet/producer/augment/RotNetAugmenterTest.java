package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.TestImages;
import io.rotnet.producer.decode.ImageDecoder;
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
      assertThat(sample.view(k)).isEqualTo(RotationsTest.turn(sample.view(0), 32, k));
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
    RotationsTest.mirror(mirrored, 20, 20);
    assertThat(flipped.view(0)).isEqualTo(mirrored);
  }

  @Test
  void decodingOnlyThePlannedRegionGivesTheSameViews() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.rgbPicture(150, 110));
    ImageDecoder decoder = ImageDecoder.builder().build();
    RgbImage whole = decoder.decode(jpeg);
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(28));
    for (int sample = 0; sample < 20; sample++) {
      AugmentedSample expected = augmenter.augment(whole, Seeds.forSample(5, 1, sample));
      CropPlan plan = augmenter.plan(Seeds.forSample(5, 1, sample));
      RgbImage region = decoder.decode(jpeg, plan);
      AugmentedSample actual = augmenter.augmentRegion(region, plan);
      assertThat(actual.window()).isEqualTo(expected.window());
      assertThat(actual.flipped()).isEqualTo(expected.flipped());
      for (int k = 0; k < 4; k++) {
        assertThat(actual.view(k)).as("sample %d view %d", sample, k).isEqualTo(expected.view(k));
      }
    }
  }

  @Test
  void aPlanIsChosenOnceAndOnlyAfterTheSizeIsKnown() {
    CropPlan plan = new RotNetAugmenter(AugmentSettings.rotnet(8)).plan(Seeds.forSample(1, 0, 0));
    assertThatThrownBy(plan::window).isInstanceOf(IllegalStateException.class);
    plan.choose(40, 30);
    assertThat(plan.window().fitsIn(40, 30)).isTrue();
    assertThatThrownBy(() -> plan.choose(40, 30)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void regionOfTheWrongSizeIsRefused() {
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(8));
    CropPlan plan = augmenter.plan(Seeds.forSample(1, 0, 0));
    plan.choose(image.width(), image.height());
    assertThatThrownBy(() -> augmenter.augmentRegion(image, plan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plan's window");
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
