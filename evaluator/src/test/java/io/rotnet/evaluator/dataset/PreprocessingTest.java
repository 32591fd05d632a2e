package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  @Test
  void smallInputPresetsScaleTheReferenceView() {
    assertThat(Preprocessing.reference().resize()).isEqualTo(256);
    assertThat(Preprocessing.reference().crop()).isEqualTo(224);
    assertThat(Preprocessing.forInputSize(32).resize()).isEqualTo(37);
    assertThat(Preprocessing.forInputSize(96).resize()).isEqualTo(110);
  }

  @Test
  void aUniformImageNormalizesToTheChannelConstants() {
    BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        gray.getRaster().setSample(x, y, 0, 128);
      }
    }
    Preprocessing p = Preprocessing.forInputSize(32);
    float[] out = new float[p.valuesPerImage() + 5];

    p.apply(gray, out, 5);

    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 32 * 32; i++) {
        assertThat(out[5 + c * 1024 + i]).isCloseTo((128 / 255f - mean[c]) / std[c], within(1e-5f));
      }
    }
  }

  @Test
  void theCentreCropKeepsTheMiddleOfTheLongerSide() {
    // 4 x 2 image, columns 0..3 have red 10, 20, 30, 40; resize 2 keeps it, crop 2 keeps columns 1, 2
    BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 4; x++) {
      for (int y = 0; y < 2; y++) {
        image.setRGB(x, y, (10 * (x + 1)) << 16);
      }
    }
    Preprocessing p = new Preprocessing(2, 2, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    float[] out = new float[p.valuesPerImage()];

    p.apply(image, out, 0);

    assertThat(out[0] * 255).isCloseTo(20f, within(1e-3f));
    assertThat(out[1] * 255).isCloseTo(30f, within(1e-3f));
    assertThat(out[4] * 255).isCloseTo(0f, within(1e-3f)); // green plane
  }

  @Test
  void downscalingAveragesInsteadOfSkippingPixels() {
    // a one-pixel checkerboard shrunk 4x: every output pixel covers black and white alike
    BufferedImage board = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        board.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0);
      }
    }
    Preprocessing p = new Preprocessing(8, 8, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    float[] out = new float[p.valuesPerImage()];

    p.apply(board, out, 0);

    for (float v : out) {
      assertThat(v * 255).isBetween(110f, 145f);
    }
  }

  @Test
  void transparentPixelsBecomeWhite() {
    BufferedImage clear = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    Preprocessing p = new Preprocessing(4, 4, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    float[] out = new float[p.valuesPerImage()];

    p.apply(clear, out, 0);

    for (float v : out) {
      assertThat(v).isCloseTo(1f, within(1e-6f));
    }
  }
}
