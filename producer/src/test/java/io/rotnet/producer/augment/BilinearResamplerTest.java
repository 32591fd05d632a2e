package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.decode.RgbImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BilinearResamplerTest {

  @Test
  void sameSizeWindowIsCopiedExactly() {
    RgbImage image = noise(50, 40, 3);
    byte[] out = BilinearResampler.resize(image, new CropWindow(10, 5, 20, 30), 30, 20);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        int o = (y * 30 + x) * 3;
        int s = image.offset(x + 5, y + 10);
        assertThat(Arrays.copyOfRange(out, o, o + 3))
            .isEqualTo(Arrays.copyOfRange(image.pixels(), s, s + 3));
      }
    }
  }

  @Test
  void flatColourStaysFlatAtAnyScale() {
    byte[] pixels = new byte[300 * 200 * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) 200;
      pixels[i + 1] = 17;
      pixels[i + 2] = (byte) 255;
    }
    RgbImage flat = new RgbImage(300, 200, pixels);
    for (int size : new int[] {7, 64, 224, 999}) {
      byte[] out = BilinearResampler.resize(flat, new CropWindow(3, 11, 177, 251), size, size);
      for (int i = 0; i < out.length; i += 3) {
        assertThat(out[i] & 0xFF).isEqualTo(200);
        assertThat(out[i + 1] & 0xFF).isEqualTo(17);
        assertThat(out[i + 2] & 0xFF).isEqualTo(255);
      }
    }
  }

  @Test
  void readsOnlyInsideTheWindow() {
    // white window inside a black frame: no black may bleed into the output
    int width = 100;
    int height = 80;
    byte[] pixels = new byte[width * height * 3];
    CropWindow window = new CropWindow(20, 30, 40, 50);
    for (int y = window.top(); y < window.top() + window.height(); y++) {
      for (int x = window.left(); x < window.left() + window.width(); x++) {
        Arrays.fill(pixels, (y * width + x) * 3, (y * width + x) * 3 + 3, (byte) 255);
      }
    }
    RgbImage framed = new RgbImage(width, height, pixels);
    for (int size : new int[] {13, 50, 224}) {
      byte[] out = BilinearResampler.resize(framed, window, size, size);
      for (byte b : out) {
        assertThat(b & 0xFF).isEqualTo(255);
      }
    }
  }

  @Test
  void upscalingInterpolatesBetweenNeighbours() {
    // 2x1 black | white -> 4x1: half-pixel centres give 0, 64, 191, 255
    RgbImage two = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    byte[] out = BilinearResampler.resize(two, new CropWindow(0, 0, 1, 2), 4, 1);
    assertThat(new int[] {out[0] & 0xFF, out[3] & 0xFF, out[6] & 0xFF, out[9] & 0xFF})
        .containsExactly(0, 64, 191, 255);
  }

  @Test
  void downscalingAveragesInsteadOfAliasing() {
    // one-pixel black/white stripes shrunk 8x must come out mid-gray, not black or white
    int width = 256;
    byte[] pixels = new byte[width * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < width; x += 2) {
        Arrays.fill(pixels, (y * width + x) * 3, (y * width + x) * 3 + 3, (byte) 255);
      }
    }
    byte[] out = BilinearResampler.resize(new RgbImage(width, 4, pixels), new CropWindow(0, 0, 4, width), 32, 4);
    for (int i = 3 * 2; i < out.length - 6; i++) {
      assertThat(out[i] & 0xFF).isBetween(110, 145);
    }
  }

  @Test
  void weightsSumToOne() {
    for (int[] sizes : new int[][] {{1000, 224}, {28, 224}, {224, 224}, {5, 3}, {1, 7}}) {
      BilinearResampler.Taps taps = BilinearResampler.Taps.compute(sizes[0], sizes[1]);
      for (int o = 0; o < sizes[1]; o++) {
        int sum = 0;
        for (int k = 0; k < taps.count[o]; k++) {
          sum += taps.weights[o * taps.stride + k];
        }
        assertThat(sum).isEqualTo(BilinearResampler.ONE);
        assertThat(taps.first[o]).isGreaterThanOrEqualTo(0);
        assertThat(taps.first[o] + taps.count[o]).isLessThanOrEqualTo(sizes[0]);
      }
    }
  }

  @Test
  void windowOutsideTheImageIsRejected() {
    RgbImage image = noise(10, 10, 1);
    assertThatThrownBy(() -> BilinearResampler.resize(image, new CropWindow(5, 5, 6, 5), 4, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static RgbImage noise(int width, int height, long seed) {
    byte[] pixels = new byte[width * height * 3];
    new java.util.Random(seed).nextBytes(pixels);
    return new RgbImage(width, height, pixels);
  }
}
