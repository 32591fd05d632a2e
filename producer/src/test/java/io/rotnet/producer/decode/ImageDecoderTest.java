package io.rotnet.producer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.TestImages;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageDecoderTest {

  private final ImageDecoder decoder = ImageDecoder.builder().build();

  @Test
  void pngRgbDecodesExactly() throws Exception {
    BufferedImage picture = TestImages.rgbPicture(40, 30);
    RgbImage rgb = decoder.decode(TestImages.png(picture));
    assertThat(rgb.width()).isEqualTo(40);
    assertThat(rgb.height()).isEqualTo(30);
    for (int y = 0; y < 30; y += 7) {
      for (int x = 0; x < 40; x += 9) {
        int expected = picture.getRGB(x, y);
        int o = rgb.offset(x, y);
        assertThat(rgb.pixels()[o] & 0xFF).isEqualTo((expected >> 16) & 0xFF);
        assertThat(rgb.pixels()[o + 1] & 0xFF).isEqualTo((expected >> 8) & 0xFF);
        assertThat(rgb.pixels()[o + 2] & 0xFF).isEqualTo(expected & 0xFF);
      }
    }
  }

  @Test
  void jpegKeepsColoursWithinCompressionError() throws Exception {
    BufferedImage picture = TestImages.rgbPicture(64, 64);
    RgbImage rgb = decoder.decode(TestImages.jpeg(picture));
    // inside the blue marker square: (20, 20, 200)
    int o = rgb.offset(5, 5);
    assertThat(rgb.pixels()[o] & 0xFF).isBetween(5, 40);
    assertThat(rgb.pixels()[o + 2] & 0xFF).isBetween(180, 220);
  }

  @Test
  void grayAlphaIsCompositedOnWhite() throws Exception {
    RgbImage rgb = decoder.decode(TestImages.grayAlphaPng(16, 16));
    // top row alpha 0 -> white whatever the gray
    int top = rgb.offset(3, 0);
    assertThat(rgb.pixels()[top] & 0xFF).isEqualTo(255);
    // bottom row alpha 255 -> the gray value itself, replicated to R, G, B
    int bottom = rgb.offset(3, 15);
    int gray = TestImages.grayAt(3, 16);
    assertThat(rgb.pixels()[bottom] & 0xFF).isEqualTo(gray);
    assertThat(rgb.pixels()[bottom + 1] & 0xFF).isEqualTo(gray);
    assertThat(rgb.pixels()[bottom + 2] & 0xFF).isEqualTo(gray);
    // in between: gray * a + 255 * (1 - a)
    int middle = rgb.offset(0, 8);
    int alpha = TestImages.alphaAt(8, 16);
    assertThat(rgb.pixels()[middle] & 0xFF).isEqualTo(RgbConverter.onWhite(0, alpha));
  }

  @Test
  void paletteTransparencyBecomesWhite() throws Exception {
    RgbImage rgb = decoder.decode(TestImages.palettePng(16, 4));
    assertThat(pixel(rgb, 0, 0)).containsExactly(255, 255, 255); // transparent red
    assertThat(pixel(rgb, 5, 0)).containsExactly(0, 255, 0);
    assertThat(pixel(rgb, 9, 0)).containsExactly(0, 0, 255);
    assertThat(pixel(rgb, 15, 0)).containsExactly(255, 255, 0);
  }

  @Test
  void sixteenBitGrayIsRoundedToEightBits() throws Exception {
    RgbImage rgb = decoder.decode(TestImages.gray16Png(256, 2));
    assertThat(pixel(rgb, 0, 0)).containsExactly(0, 0, 0);
    assertThat(pixel(rgb, 255, 1)).containsExactly(255, 255, 255);
    int value = 128 * 65535 / 255;
    int expected = (int) Math.round(value * 255.0 / 65535);
    assertThat(pixel(rgb, 128, 0)[0]).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(DecoderBackend.class)
  void cmykJpegBecomesRgb(DecoderBackend backend) throws Exception {
    ImageDecoder chosen = ImageDecoder.builder().optBackend(backend).build();
    RgbImage rgb = chosen.decode(TestImages.cmykJpeg(32, 16));
    int[] white = pixel(rgb, 4, 8);
    int[] cyan = pixel(rgb, 28, 8);
    assertThat(white[0]).isGreaterThan(235);
    assertThat(white[1]).isGreaterThan(235);
    assertThat(white[2]).isGreaterThan(235);
    assertThat(cyan[0]).isLessThan(40);
    assertThat(cyan[1]).isGreaterThan(150);
    assertThat(cyan[2]).isGreaterThan(200);
  }

  @Test
  void gifAndBmpDecode() throws Exception {
    BufferedImage picture = TestImages.rgbPicture(20, 10);
    assertThat(decoder.decode(TestImages.write(picture, "bmp")).width()).isEqualTo(20);
    assertThat(decoder.decode(TestImages.write(picture, "gif")).height()).isEqualTo(10);
  }

  @Test
  void headerOverThePixelLimitIsRefusedBeforeDecoding() {
    byte[] bomb = TestImages.pngClaiming(30000, 30000);
    assertThatThrownBy(() -> decoder.decode(bomb))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageContaining("30000x30000")
        .hasMessageContaining("limit");
  }

  @Test
  void pixelLimitIsConfigurable() throws Exception {
    byte[] png = TestImages.png(TestImages.rgbPicture(100, 100));
    ImageDecoder strict = ImageDecoder.builder().optMaxPixels(9_999).build();
    assertThatThrownBy(() -> strict.decode(png)).hasMessageContaining("too large");
    assertThat(ImageDecoder.builder().optMaxPixels(10_000).build().decode(png).width()).isEqualTo(100);
  }

  @Test
  void brokenInputIsRefusedWithAReasonAndExcerpt() {
    for (byte[] bad :
        List.of(
            TestImages.corruptJpeg(200, 150),
            TestImages.truncatedPng(200, 150),
            TestImages.textFile(),
            new byte[0])) {
      assertThatThrownBy(() -> decoder.decode(bad))
          .isInstanceOfSatisfying(
              ImageRejectedException.class,
              e -> {
                assertThat(e.reason()).isNotBlank();
                assertThat(e.excerpt()).hasSize(Math.min(bad.length, 256));
              });
    }
  }

  @Test
  void truncatedJpegIsRefusedThoughLibjpegOnlyWarns() {
    byte[] good = TestImages.jpeg(TestImages.rgbPicture(200, 150));
    byte[] half = java.util.Arrays.copyOf(good, good.length / 2);
    assertThatThrownBy(() -> decoder.decode(half))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void harmlessWarningsAreNotDamage() {
    assertThat(ImageDecoder.damageWarning(List.of("Corrupt JPEG data: 3 extraneous bytes before marker 0xd9")))
        .isNull();
    assertThat(ImageDecoder.damageWarning(List.of("No embedded ICC color profile, will convert"))).isNull();
    assertThat(ImageDecoder.damageWarning(List.of("Truncated File - Missing EOI marker"))).isNotNull();
  }

  private static int[] pixel(RgbImage image, int x, int y) {
    int o = image.offset(x, y);
    byte[] p = image.pixels();
    return new int[] {p[o] & 0xFF, p[o + 1] & 0xFF, p[o + 2] & 0xFF};
  }
}
