package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

  private final RandomResizedCrop crop = RandomResizedCrop.imagenet();

  @Test
  void windowsStayInsideTheImageAndWithinTheRanges() {
    int[][] sizes = {{500, 375}, {224, 224}, {28, 28}, {1000, 50}, {50, 1000}, {1, 1}, {3, 700}};
    for (int[] size : sizes) {
      for (int sample = 0; sample < 2_000; sample++) {
        SplittableRandom random = Seeds.forSample(7, 0, sample);
        CropWindow window = crop.choose(size[0], size[1], random);
        assertThat(window.fitsIn(size[0], size[1]))
            .as("%s in %dx%d", window, size[0], size[1])
            .isTrue();
      }
    }
  }

  @Test
  void acceptedWindowsRespectScaleAndRatioUpToRounding() {
    int width = 640;
    int height = 480;
    int fallbacks = 0;
    for (int sample = 0; sample < 5_000; sample++) {
      CropWindow window = crop.choose(width, height, Seeds.forSample(1, 2, sample));
      double area = (double) window.width() * window.height() / (width * height);
      double ratio = (double) window.width() / window.height();
      boolean centred =
          window.top() == (height - window.height()) / 2 && window.left() == (width - window.width()) / 2;
      if (window.width() == width && window.height() == height && centred) {
        fallbacks++;
        continue;
      }
      assertThat(area).isBetween(0.07, 1.0);
      assertThat(ratio).isBetween(0.70, 1.40);
    }
    // with 10 attempts the fallback is rare on a 4:3 image
    assertThat(fallbacks).isLessThan(50);
  }

  @Test
  void fallbackIsTheLargestCentredCropWithinTheRatioRange() {
    // a 1000x50 strip: no random window of ratio <= 4/3 and area >= 8 % can fit
    CropWindow wide = crop.centreFallback(1000, 50);
    assertThat(wide).isEqualTo(new CropWindow(0, (1000 - 67) / 2, 50, 67));
    CropWindow tall = crop.centreFallback(50, 1000);
    assertThat(tall).isEqualTo(new CropWindow((1000 - 67) / 2, 0, 67, 50));
    assertThat(crop.centreFallback(300, 300)).isEqualTo(new CropWindow(0, 0, 300, 300));
  }

  @Test
  void sameSeedSameWindowDifferentSampleDifferentWindow() {
    CropWindow first = crop.choose(800, 600, Seeds.forSample(42, 3, 17));
    assertThat(crop.choose(800, 600, Seeds.forSample(42, 3, 17))).isEqualTo(first);
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> crop.choose(800, 600, Seeds.forSample(42, 3, i)))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(45);
    assertThat(crop.choose(800, 600, Seeds.forSample(42, 4, 17))).isNotEqualTo(first);
  }
}
