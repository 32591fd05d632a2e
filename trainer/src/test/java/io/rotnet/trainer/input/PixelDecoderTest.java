package io.rotnet.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.testing.Scenes;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelDecoderTest {

  private static final int SIZE = 32;
  private final PixelDecoder decoder = new PixelDecoder(SIZE, ImageNormalization.IMAGENET);

  private static RotatedImage image(PixelEncoding encoding, byte[] pixels, int size) {
    return Scenes.view("img", 0, 0, 1, 0, size, encoding, pixels);
  }

  private static float normalized(int value, int channel) {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    return (value / 255f - mean[channel]) / std[channel];
  }

  @Test
  void rawPixelsBecomeNormalizedChannelPlanes() throws Exception {
    byte[] rgb = Scenes.scene(new Random(1), SIZE);
    float[] target = new float[5 + 3 * SIZE * SIZE];
    decoder.decodeInto(image(PixelEncoding.RAW_RGB8, rgb, SIZE), target, 5);
    int plane = SIZE * SIZE;
    for (int pixel : new int[] {0, 37, plane - 1}) {
      for (int c = 0; c < 3; c++) {
        assertThat(target[5 + c * plane + pixel])
            .isEqualTo(normalized(rgb[3 * pixel + c] & 0xff, c));
      }
    }
    assertThat(target[0]).isZero();
  }

  @Test
  void pngDecodesToTheSameValuesAsRaw() throws Exception {
    byte[] rgb = Scenes.scene(new Random(2), SIZE);
    float[] raw = new float[3 * SIZE * SIZE];
    float[] png = new float[3 * SIZE * SIZE];
    decoder.decodeInto(image(PixelEncoding.RAW_RGB8, rgb, SIZE), raw, 0);
    decoder.decodeInto(image(PixelEncoding.PNG, Scenes.png(rgb, SIZE), SIZE), png, 0);
    assertThat(png).containsExactly(raw);
  }

  @Test
  void jpegDecodesCloseToRaw() throws Exception {
    byte[] rgb = Scenes.scene(new Random(3), SIZE);
    float[] raw = new float[3 * SIZE * SIZE];
    float[] jpeg = new float[3 * SIZE * SIZE];
    decoder.decodeInto(image(PixelEncoding.RAW_RGB8, rgb, SIZE), raw, 0);
    decoder.decodeInto(image(PixelEncoding.JPEG, Scenes.jpeg(rgb, SIZE), SIZE), jpeg, 0);
    double meanError = 0;
    for (int i = 0; i < raw.length; i++) {
      meanError += Math.abs(raw[i] - jpeg[i]) / raw.length;
    }
    assertThat(meanError).isCloseTo(0, within(0.25));
  }

  @Test
  void refusesAWrongDeclaredShape() {
    byte[] rgb = Scenes.scene(new Random(4), 40);
    assertThatThrownBy(
            () ->
                decoder.decodeInto(
                    image(PixelEncoding.RAW_RGB8, rgb, 40), new float[3 * 40 * 40], 0))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e -> assertThat(e.refusal().reasonClass()).isEqualTo(Refusal.WRONG_SHAPE));
  }

  @Test
  void refusesAnImageWhoseRealSizeDiffersFromItsHeader() {
    byte[] png = Scenes.png(Scenes.scene(new Random(5), 40), 40);
    assertThatThrownBy(
            () ->
                decoder.decodeInto(
                    image(PixelEncoding.PNG, png, SIZE), new float[3 * SIZE * SIZE], 0))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e -> {
              assertThat(e.refusal().reasonClass()).isEqualTo(Refusal.WRONG_SHAPE);
              assertThat(e.refusal().detail()).contains("40x40");
            });
  }

  @Test
  void refusesBytesThatAreNotTheDeclaredEncoding() {
    byte[] jpeg = Scenes.jpeg(Scenes.scene(new Random(6), SIZE), SIZE);
    byte[] garbage = "definitely not an image".getBytes();
    for (RotatedImage bad :
        new RotatedImage[] {
          image(PixelEncoding.PNG, jpeg, SIZE), image(PixelEncoding.JPEG, garbage, SIZE)
        }) {
      assertThatThrownBy(() -> decoder.decodeInto(bad, new float[3 * SIZE * SIZE], 0))
          .isInstanceOfSatisfying(
              RejectedInputException.class,
              e -> assertThat(e.refusal().reasonClass()).isEqualTo(Refusal.CORRUPT_IMAGE));
    }
  }
}
