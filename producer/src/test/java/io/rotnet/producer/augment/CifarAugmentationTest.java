package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.decode.RgbImage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The RotNet paper's CIFAR view: RandomCrop(32, padding=4), horizontal flip, four rotations. */
class CifarAugmentationTest {

  private final RgbImage image = BilinearResamplerTest.noise(32, 32, 21);
  private final RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.named("cifar", 32));

  @Test
  void viewIsTheImageShiftedInsideItsZeroPadding() {
    int seen = 0;
    for (int sample = 0; sample < 40; sample++) {
      AugmentedSample s = augmenter.augment(image, Seeds.forSample(4, 0, sample));
      CropWindow w = s.window();
      assertThat(w.height()).isEqualTo(32);
      assertThat(w.top()).isBetween(0, 8);
      assertThat(w.left()).isBetween(0, 8);
      byte[] view = s.view(0);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          int sourceX = w.left() + (s.flipped() ? 31 - x : x) - 4;
          int sourceY = w.top() + y - 4;
          boolean inside = sourceX >= 0 && sourceX < 32 && sourceY >= 0 && sourceY < 32;
          for (int c = 0; c < 3; c++) {
            byte expected = inside ? image.pixels()[image.offset(sourceX, sourceY) + c] : 0;
            assertThat(view[(y * 32 + x) * 3 + c]).as("sample %d pixel (%d,%d)", sample, x, y).isEqualTo(expected);
          }
        }
      }
      for (int k = 1; k < 4; k++) {
        assertThat(s.view(k)).isEqualTo(RotationsTest.turn(s.view(0), 32, k));
      }
      seen++;
    }
    assertThat(seen).isEqualTo(40);
  }

  @Test
  void offsetsCoverTheNineByNineGridAndFlipsHalfTheTime() {
    Set<CropWindow> windows = new HashSet<>();
    int flips = 0;
    int samples = 2000;
    for (int sample = 0; sample < samples; sample++) {
      CropPlan plan = augmenter.plan(Seeds.forSample(7, 1, sample));
      assertThat(plan.choose(32, 32)).isEqualTo(new java.awt.Rectangle(0, 0, 32, 32)); // whole image decoded
      windows.add(plan.window());
      flips += plan.flip() ? 1 : 0;
    }
    assertThat(windows).hasSize(81);
    assertThat(flips).isBetween(samples / 2 - 100, samples / 2 + 100);
  }

  @Test
  void sameSeedEpochAndSampleGiveTheSameBytes() {
    AugmentedSample first = augmenter.augment(image, Seeds.forSample(9, 2, 5));
    AugmentedSample again = augmenter.augment(image, Seeds.forSample(9, 2, 5));
    assertThat(again.window()).isEqualTo(first.window());
    for (int k = 0; k < 4; k++) {
      assertThat(again.view(k)).isEqualTo(first.view(k));
    }
    boolean differs = false;
    for (int epoch = 3; epoch < 8 && !differs; epoch++) {
      differs = !java.util.Arrays.equals(augmenter.augment(image, Seeds.forSample(9, epoch, 5)).view(0), first.view(0));
    }
    assertThat(differs).isTrue();
    // the region path (what the producer runs) gives the same bytes as the whole-image path
    CropPlan plan = augmenter.plan(Seeds.forSample(9, 2, 5));
    plan.choose(32, 32);
    assertThat(augmenter.augmentRegion(image, plan).view(3)).isEqualTo(first.view(3));
  }

  @Test
  void refusesUnknownNamesAndImagesSmallerThanTheCrop() {
    assertThatThrownBy(() -> AugmentSettings.named("jitter", 32)).hasMessageContaining("rotnet, cifar");
    CropPlan plan = augmenter.plan(Seeds.forSample(1, 0, 0));
    assertThatThrownBy(() -> plan.choose(20, 20)).hasMessageContaining("smaller than the 32 px crop");
  }
}
