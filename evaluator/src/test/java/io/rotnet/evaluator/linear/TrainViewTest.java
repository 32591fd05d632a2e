package io.rotnet.evaluator.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainViewTest {

  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = x * 255 / (width - 1);
        image.setRGB(x, y, (v << 16) | ((255 - v) << 8) | ((y * 255 / (height - 1))));
      }
    }
    return image;
  }

  @Test
  void theViewIsAFunctionOfSeedEpochAndImage() {
    TrainView view = new TrainView(TrainView.Kind.RESIZED_CROP_JITTER_LIGHTING, 24);
    BufferedImage image = gradient(40, 30);
    float[] a = new float[view.valuesPerImage()];
    float[] b = new float[view.valuesPerImage()];
    float[] c = new float[view.valuesPerImage()];
    view.apply(image, 5, 2, 17, a, 0);
    view.apply(image, 5, 2, 17, b, 0);
    view.apply(image, 5, 3, 17, c, 0);
    assertThat(b).containsExactly(a);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void resizedCropBoxesStayInsideTheScaleAndRatioRanges() {
    int width = 256;
    int height = 256;
    SplittableRandom random = new SplittableRandom(1);
    double minScale = 1;
    double maxScale = 0;
    double minRatio = 10;
    double maxRatio = 0;
    for (int i = 0; i < 4000; i++) {
      int[] box = RandomResizedCrop.box(width, height, random);
      assertThat(box[0]).isBetween(0, width - box[2]);
      assertThat(box[1]).isBetween(0, height - box[3]);
      double scale = (double) box[2] * box[3] / (width * height);
      double ratio = (double) box[2] / box[3];
      minScale = Math.min(minScale, scale);
      maxScale = Math.max(maxScale, scale);
      minRatio = Math.min(minRatio, ratio);
      maxRatio = Math.max(maxRatio, ratio);
    }
    // rounding w and h to pixels moves the bounds by well under a percent at this size
    assertThat(minScale).isBetween(0.075, 0.1);
    assertThat(maxScale).isBetween(0.9, 1.0);
    assertThat(minRatio).isBetween(0.74, 0.78);
    assertThat(maxRatio).isBetween(1.28, 1.345);
    // a strip too thin for any box falls back to the centre crop with the ratio clamped
    int[] fallback = RandomResizedCrop.box(400, 10, new SplittableRandom(2));
    assertThat(fallback).containsExactly((400 - 13) / 2, 0, 13, 10);
  }

  @Test
  void halfTheViewsAreMirrored() {
    TrainView view = new TrainView(TrainView.Kind.CENTER_THEN_RANDOM_CROP, 32);
    RgbPlanes image = RgbPlanes.of(gradient(60, 50));
    int mirrored = 0;
    int draws = 2000;
    for (int i = 0; i < draws; i++) {
      RgbPlanes crop = view.geometry(image, TrainView.random(9, 0, i));
      // red grows left to right in the image
      mirrored += crop.planes[0][0] > crop.planes[0][31] ? 1 : 0;
    }
    assertThat((double) mirrored / draws).isCloseTo(0.5, within(0.04));
  }

  @Test
  void colourJitterDrawsFactorsInRangeAndBlendsLikePil() {
    ColorJitter jitter = new ColorJitter(0.4, 0.4, 0.4);
    SplittableRandom random = new SplittableRandom(4);
    double low = 2;
    double high = 0;
    for (int i = 0; i < 2000; i++) {
      for (double factor : jitter.apply(new RgbPlanes(2, 2), random)) {
        assertThat(factor).isBetween(0.6, 1.4);
        low = Math.min(low, factor);
        high = Math.max(high, factor);
      }
    }
    assertThat(low).isLessThan(0.61);
    assertThat(high).isGreaterThan(1.39);

    RgbPlanes pixel = new RgbPlanes(1, 1);
    pixel.planes[0][0] = 200;
    pixel.planes[1][0] = 100;
    pixel.planes[2][0] = 50;
    ColorJitter.brightness(pixel, 1.3);
    assertThat(new int[] {pixel.planes[0][0], pixel.planes[1][0], pixel.planes[2][0]}).containsExactly(255, 130, 65);
    // PIL's luma of (255, 130, 65): (255*19595 + 130*38470 + 65*7471 + 32768) >> 16 = 160
    ColorJitter.saturation(pixel, 0.5);
    assertThat(new int[] {pixel.planes[0][0], pixel.planes[1][0], pixel.planes[2][0]}).containsExactly(207, 145, 112);
    // contrast blends against the rounded mean luma, 160 here: 160 + 1.4 * (207 - 160) = 225.8
    ColorJitter.contrast(pixel, 1.4);
    assertThat(new int[] {pixel.planes[0][0], pixel.planes[1][0], pixel.planes[2][0]}).containsExactly(225, 139, 92);
  }

  @Test
  void lightingAddsTheImagenetPcaNoiseWithAlphaStdOneTenth() {
    float[] first = Lighting.shiftFor(new float[] {1f, 0f, 0f});
    assertThat(first[0]).isCloseTo(-0.5675f * 0.2175f, within(1e-6f));
    assertThat(first[1]).isCloseTo(-0.5808f * 0.2175f, within(1e-6f));
    assertThat(first[2]).isCloseTo(-0.5836f * 0.2175f, within(1e-6f));
    float[] third = Lighting.shiftFor(new float[] {0f, 0f, 2f});
    assertThat(third[1]).isCloseTo(2 * -0.8140f * 0.0045f, within(1e-6f));

    SplittableRandom random = new SplittableRandom(8);
    int draws = 20000;
    double squares = 0;
    for (int i = 0; i < draws; i++) {
      squares += Math.pow(Lighting.shift(random)[0], 2);
    }
    double expected = 0;
    for (int j = 0; j < 3; j++) {
      expected += Math.pow(Lighting.EIGVEC[0][j] * Lighting.EIGVAL[j] * Lighting.ALPHA_STD, 2);
    }
    assertThat(Math.sqrt(squares / draws)).isCloseTo(Math.sqrt(expected), within(0.03 * Math.sqrt(expected)));
  }
}
