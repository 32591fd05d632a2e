package io.rotnet.producer.augment;

/**
 * Rotations of a square RGB image by quarter turns, counter-clockwise as {@code torch.rot90(x,
 * k, dims=[H, W])} and MMSelfSup's RotNet pipeline: label k is a rotation by k x 90 degrees, so
 * for k = 1 the top row becomes the left column read bottom-up.
 */
public final class Rotations {

  private static final int TILE = 32;

  private Rotations() {}

  /**
   * The four views, rotations by 0, 1, 2 and 3 quarter turns, of the square image whose
   * transpose is {@code transposed} (as {@link BilinearResampler#resizeTransposed} returns it).
   * From the transpose, a quarter turn counter-clockwise is its rows in reverse order and three
   * quarter turns are its rows each reversed, so only the upright view needs a strided pass.
   */
  public static byte[][] fromTransposed(byte[] transposed, int size) {
    if (transposed.length != size * size * 3) {
      throw new IllegalArgumentException(
          "expected " + size * size * 3 + " bytes for a " + size + "x" + size + " RGB image");
    }
    int rowBytes = size * 3;
    byte[] upright = transpose(transposed, size, size);
    byte[] quarter = new byte[transposed.length];
    byte[] threeQuarters = new byte[transposed.length];
    for (int row = 0; row < size; row++) {
      int from = row * rowBytes;
      System.arraycopy(transposed, from, quarter, (size - 1 - row) * rowBytes, rowBytes);
      for (int o = from, s = from + rowBytes - 3; s >= from; o += 3, s -= 3) {
        threeQuarters[o] = transposed[s];
        threeQuarters[o + 1] = transposed[s + 1];
        threeQuarters[o + 2] = transposed[s + 2];
      }
    }
    return new byte[][] {upright, quarter, reversePixels(upright), threeQuarters};
  }

  /** {@code rgb} ({@code height} rows of {@code width} pixels) as width rows of height pixels. */
  static byte[] transpose(byte[] rgb, int width, int height) {
    byte[] out = new byte[rgb.length];
    int inRow = width * 3;
    int outRow = height * 3;
    // Tiles keep the strided side of the copy inside the L1 cache.
    for (int tileY = 0; tileY < height; tileY += TILE) {
      int yEnd = Math.min(height, tileY + TILE);
      for (int tileX = 0; tileX < width; tileX += TILE) {
        int xEnd = Math.min(width, tileX + TILE);
        for (int x = tileX; x < xEnd; x++) {
          int o = x * outRow + tileY * 3;
          for (int y = tileY, s = tileY * inRow + x * 3; y < yEnd; y++, o += 3, s += inRow) {
            out[o] = rgb[s];
            out[o + 1] = rgb[s + 1];
            out[o + 2] = rgb[s + 2];
          }
        }
      }
    }
    return out;
  }

  /** A half turn is the pixels in reverse order: one sequential pass. */
  private static byte[] reversePixels(byte[] square) {
    byte[] out = new byte[square.length];
    for (int o = 0, s = square.length - 3; s >= 0; o += 3, s -= 3) {
      out[o] = square[s];
      out[o + 1] = square[s + 1];
      out[o + 2] = square[s + 2];
    }
    return out;
  }
}
