package io.rotnet.producer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.TestImages;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decoding a region must give exactly the pixels of decoding everything and cropping. */
class RegionDecodeTest {

  private static final Rectangle[] REGIONS = {
    new Rectangle(0, 0, 61, 47), // whole
    new Rectangle(13, 7, 30, 21), // interior, odd offsets (inside JPEG blocks and chroma pairs)
    new Rectangle(0, 40, 61, 7), // bottom rows
    new Rectangle(60, 0, 1, 47), // last column
  };

  @ParameterizedTest
  @EnumSource(DecoderBackend.class)
  void regionIsTheCropOfTheWholeDecode(DecoderBackend backend) throws Exception {
    ImageDecoder decoder = ImageDecoder.builder().optBackend(backend).build();
    BufferedImage picture = TestImages.rgbPicture(61, 47);
    Map<String, byte[]> files =
        Map.of(
            "jpeg", TestImages.jpeg(picture),
            "png", TestImages.png(picture),
            "gif", TestImages.write(picture, "gif"),
            "bmp", TestImages.write(picture, "bmp"));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      RgbImage whole = decoder.decode(file.getValue());
      for (Rectangle region : REGIONS) {
        RgbImage part = decoder.decode(file.getValue(), (w, h) -> region);
        assertThat(part.pixels())
            .as("%s %s", file.getKey(), region)
            .isEqualTo(whole.region(region.x, region.y, region.width, region.height).pixels());
      }
    }
  }

  @Test
  void otherColourModelsCropAfterConversion() throws Exception {
    ImageDecoder decoder = ImageDecoder.builder().build();
    for (byte[] file :
        List.of(
            TestImages.grayAlphaPng(16, 16),
            TestImages.palettePng(16, 4),
            TestImages.gray16Png(40, 6),
            TestImages.cmykJpeg(24, 16))) {
      RgbImage whole = decoder.decode(file);
      Rectangle region = new Rectangle(3, 1, 9, 3);
      assertThat(decoder.decode(file, (w, h) -> region).pixels())
          .isEqualTo(whole.region(3, 1, 9, 3).pixels());
    }
  }

  @ParameterizedTest
  @EnumSource(DecoderBackend.class)
  void damageBelowTheRegionStillRefusesTheFile(DecoderBackend backend) throws Exception {
    ImageDecoder decoder = ImageDecoder.builder().optBackend(backend).build();
    BufferedImage tall = TestImages.rgbPicture(64, 512);
    Rectangle top = new Rectangle(0, 0, 64, 16);
    for (byte[] file : List.of(TestImages.jpeg(tall), TestImages.png(tall))) {
      byte[] truncated = java.util.Arrays.copyOf(file, file.length * 3 / 4);
      assertThatThrownBy(() -> decoder.decode(truncated, (w, h) -> top))
          .isInstanceOf(ImageRejectedException.class);
      // the intact file decodes, region or not
      assertThat(decoder.decode(file, (w, h) -> top).height()).isEqualTo(16);
    }
  }

  @Test
  void chooserSeesTheHeaderSizeOnce() throws Exception {
    List<String> calls = new ArrayList<>();
    ImageDecoder.builder()
        .build()
        .decode(
            TestImages.png(TestImages.rgbPicture(40, 30)),
            (w, h) -> {
              calls.add(w + "x" + h);
              return new Rectangle(1, 2, 3, 4);
            });
    assertThat(calls).containsExactly("40x30");
  }

  @Test
  void regionOutsideTheImageIsAProgrammingError() {
    byte[] png = TestImages.png(TestImages.rgbPicture(40, 30));
    ImageDecoder decoder = ImageDecoder.builder().build();
    assertThatThrownBy(() -> decoder.decode(png, (w, h) -> new Rectangle(30, 0, 11, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside the 40x30 image");
    assertThatThrownBy(() -> decoder.decode(png, (w, h) -> new Rectangle(0, 0, 0, 5)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bombsAreRefusedBeforeTheChooserRuns() {
    List<String> calls = new ArrayList<>();
    ImageDecoder decoder = ImageDecoder.builder().build();
    assertThatThrownBy(
            () ->
                decoder.decode(
                    TestImages.pngClaiming(30000, 30000),
                    (w, h) -> {
                      calls.add(w + "x" + h);
                      return new Rectangle(0, 0, 1, 1);
                    }))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageContaining("too large");
    assertThat(calls).isEmpty();
  }
}
