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
    assertThat(reds(Rotations.rotate(numbered(), 3, 0))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(reds(Rotations.rotate(numbered(), 3, 1))).containsExactly(3, 6, 9, 2, 5, 8, 1, 4, 7);
    assertThat(reds(Rotations.rotate(numbered(), 3, 2))).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(reds(Rotations.rotate(numbered(), 3, 3))).containsExactly(7, 4, 1, 8, 5, 2, 9, 6, 3);
  }

  @Test
  void channelsTravelTogether() {
    byte[] turned = Rotations.rotate(numbered(), 3, 1);
    for (int i = 0; i < 9; i++) {
      int index = turned[i * 3] - 1;
      assertThat(turned[i * 3 + 1]).isEqualTo((byte) (100 + index));
      assertThat(turned[i * 3 + 2]).isEqualTo((byte) (200 + index));
    }
  }

  @Test
  void fourQuarterTurnsAreTheIdentityAndTurnsCompose() {
    byte[] image = BilinearResamplerTest.noise(17, 17, 5).pixels();
    byte[] once = Rotations.rotate(image, 17, 1);
    assertThat(Rotations.rotate(Rotations.rotate(once, 17, 1), 17, 2)).isEqualTo(image);
    assertThat(Rotations.rotate(once, 17, 1)).isEqualTo(Rotations.rotate(image, 17, 2));
    assertThat(Rotations.rotate(image, 17, -1)).isEqualTo(Rotations.rotate(image, 17, 3));
  }

  @Test
  void flipMirrorsRows() {
    byte[] image = numbered();
    Rotations.flipHorizontally(image, 3, 3);
    assertThat(reds(image)).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
  }

  @Test
  void viewsFromTheTransposeAreTheFourRotations() {
    byte[] image = BilinearResamplerTest.noise(17, 17, 3).pixels();
    byte[][] views = Rotations.fromTransposed(Rotations.transpose(image, 17, 17), 17);
    for (int k = 0; k < 4; k++) {
      assertThat(views[k]).as("view %d", k).isEqualTo(Rotations.rotate(image, 17, k));
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
}
