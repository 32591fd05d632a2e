package io.rotnet.producer.augment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.producer.decode.RgbImage;
import org.junit.jupiter.api.Test;

class RotationsTest {

  /** 3x3 image whose red channel numbers the pixels 1..9 row by row. */
  private static byte[] numbered() {
    byte[] rgb = new byte[27];
    for (int i = 0; i < 9; i++) {
      rgb[i * 3] = (byte) (i + 1);
      rgb[i * 3 + 1] = (byte) (100 + i);
      rgb[i * 3 + 2] = (byte) (200 + i);
    }
    return rgb;
  }

  private static int[] reds(byte[] rgb) {
    int[] reds = new int[rgb.length / 3];
    for (int i = 0; i < reds.length; i++) {
      reds[i] = rgb[i * 3];
    }
    return reds;
  }

  @Test
  void quarterTurnsAreCounterClockwiseLikeTorchRot90() {
    // 1 2 3        3 6 9
    // 4 5 6  -k=1-> 2 5 8   (numpy.rot90 / torch.rot90 with k = 1)
    // 7 8 9        1 4 7
    assertThat(reds(turn(numbered(), 3, 0))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(reds(turn(numbered(), 3, 1))).containsExactly(3, 6, 9, 2, 5, 8, 1, 4, 7);
    assertThat(reds(turn(numbered(), 3, 2))).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(reds(turn(numbered(), 3, 3))).containsExactly(7, 4, 1, 8, 5, 2, 9, 6, 3);
  }

  @Test
  void channelsTravelTogether() {
    byte[] turned = turn(numbered(), 3, 1);
    for (int i = 0; i < 9; i++) {
      int index = turned[i * 3] - 1;
      assertThat(turned[i * 3 + 1]).isEqualTo((byte) (100 + index));
      assertThat(turned[i * 3 + 2]).isEqualTo((byte) (200 + index));
    }
  }

  @Test
  void fourQuarterTurnsAreTheIdentityAndTurnsCompose() {
    byte[] image = BilinearResamplerTest.noise(17, 17, 5).pixels();
    byte[] once = turn(image, 17, 1);
    assertThat(turn(turn(once, 17, 1), 17, 2)).isEqualTo(image);
    assertThat(turn(once, 17, 1)).isEqualTo(turn(image, 17, 2));
    assertThat(turn(image, 17, -1)).isEqualTo(turn(image, 17, 3));
  }

  @Test
  void flipMirrorsRows() {
    byte[] image = numbered();
    mirror(image, 3, 3);
    assertThat(reds(image)).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
  }

  @Test
  void viewsFromTheTransposeAreTheFourRotations() {
    byte[] image = BilinearResamplerTest.noise(17, 17, 3).pixels();
    byte[][] views = Rotations.fromTransposed(Rotations.transpose(image, 17, 17), 17);
    for (int k = 0; k < 4; k++) {
      // output (row, col) reads input (col, last - row), applied k times
      byte[] expected = image;
      for (int turn = 0; turn < k; turn++) {
        expected = quarterTurnByFormula(expected, 17);
      }
      assertThat(views[k]).as("view %d", k).isEqualTo(expected);
    }
  }

  @Test
  void transposeSwapsRowsAndColumnsOfNonSquareImages() {
    RgbImage image = BilinearResamplerTest.noise(37, 5, 4);
    byte[] transposed = Rotations.transpose(image.pixels(), 37, 5);
    RgbImage swapped = new RgbImage(5, 37, transposed);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 37; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(swapped.pixels()[swapped.offset(y, x) + c]).isEqualTo(image.pixels()[image.offset(x, y) + c]);
        }
      }
    }
    assertThat(Rotations.transpose(transposed, 5, 37)).isEqualTo(image.pixels());
  }

  /** The production path: the image turned k quarter turns counter-clockwise. */
  static byte[] turn(byte[] square, int size, int quarterTurns) {
    byte[] transposed = Rotations.transpose(square, size, size);
    return Rotations.fromTransposed(transposed, size)[Math.floorMod(quarterTurns, 4)];
  }

  /** Mirrors an RGB image left to right, in place: the reference the augmenter's flip is held to. */
  static void mirror(byte[] rgb, int width, int height) {
    for (int y = 0; y < height; y++) {
      for (int left = y * width * 3, right = left + (width - 1) * 3; left < right;
          left += 3, right -= 3) {
        for (int c = 0; c < 3; c++) {
          byte swap = rgb[left + c];
          rgb[left + c] = rgb[right + c];
          rgb[right + c] = swap;
        }
      }
    }
  }

  private static byte[] quarterTurnByFormula(byte[] square, int size) {
    byte[] out = new byte[square.length];
    int last = size - 1;
    for (int row = 0; row < size; row++) {
      for (int col = 0; col < size; col++) {
        int from = (col * size + (last - row)) * 3;
        System.arraycopy(square, from, out, (row * size + col) * 3, 3);
      }
    }
    return out;
  }
}
