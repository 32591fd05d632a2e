package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
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

  /**
   * Both views against PIL ({@code src/test/python/view_golden.py}): torchvision's {@code Resize(r)}
   * then {@code Resize((s, s))} (VOC07) or {@code CenterCrop(s)} (ImageFolder), on images computed
   * from their coordinates.
   * The resampler works in PIL's fixed point, so the values are PIL's exactly.
   */
  @Test
  void bothViewsMatchPil() throws IOException {
    JsonNode golden;
    try (InputStream in = getClass().getResourceAsStream("/view-golden/views.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    for (JsonNode c : golden.get("cases")) {
      int width = c.get("width").asInt();
      int height = c.get("height").asInt();
      int side = c.get("side").asInt();
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int r = (x * 37 + y * 11) % 256;
          int g = (x * y * 3 + 7) % 256;
          int b = ((x ^ y) * 5) % 256;
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
      Preprocessing view = new Preprocessing(c.get("resize").asInt(), side, new float[] {0, 0, 0}, new float[] {1, 1, 1},
          c.get("squash").asBoolean());
      float[] out = new float[view.valuesPerImage()];
      view.apply(image, out, 0);

      JsonNode pil = c.get("rgb");
      assertThat(out).hasSize(pil.size());
      for (int i = 0; i < out.length; i++) {
        assertThat(Math.round(out[i] * 255)).as("value %d of %dx%d", i, width, height).isEqualTo(pil.get(i).asInt());
      }
    }
  }

  @Test
  void voc07IsSquashedAndTheOtherFormatsAreCropped() {
    DatasetSplit split = DatasetSplit.singleLabel("s", new ImageSource() {
      @Override
      public int size() {
        return 1;
      }

      @Override
      public BufferedImage read(int index) {
        return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
      }

      @Override
      public String describe(int index) {
        return "one";
      }
    }, java.util.List.of("a"), new int[] {0});
    Preprocessing cropped = Preprocessing.forDataset(new EvalDataset("folder", split, split, "f"), 32);
    Preprocessing squashed = Preprocessing.forDataset(new EvalDataset("voc", split, split, "v", true), 32);

    assertThat(cropped.squash()).isFalse();
    assertThat(squashed.squash()).isTrue();
    assertThat(squashed.resize()).isEqualTo(37);
    assertThat(squashed.crop()).isEqualTo(32);
    // the two views never share a feature cache entry
    assertThat(squashed.describe()).isNotEqualTo(cropped.describe());
    assertThat(squashed).isNotEqualTo(cropped);
  }
}
