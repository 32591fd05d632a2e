package io.rotnet.producer.augment;

/**
 * Rotations of a square RGB image by quarter turns, counter-clockwise as {@code torch.rot90(x,
 * k, dims=[H, W])} and MMSelfSup's RotNet pipeline: label k is a rotation by k x 90 degrees, so
 * for k = 1 the top row becomes the left column read bottom-up.
 */
public final class Rotations {

  private static final int TILE = 32;

  private Rotations() {}

  /** A new array holding {@code square} (size x size RGB) turned k quarter turns counter-clockwise. */
  public static byte[] rotate(byte[] square, int size, int quarterTurns) {
    if (square.length != size * size * 3) {
      throw new IllegalArgumentException(
          "expected " + size * size * 3 + " bytes for a " + size + "x" + size + " RGB image");
    }
    int k = Math.floorMod(quarterTurns, 4);
    if (k == 0) {
      return square.clone();
    }
    if (k == 2) {
      return reversePixels(square);
    }
    // Output (row, col) reads input (col, last - row) for k = 1, (last - row, last - col) for
    // k = 2 and (last - col, row) for k = 3: in each case the source offset is linear in row
    // and col, so one loop with two strides covers all three.
    int last = size - 1;
    int pixelRow = size * 3;
    int base;
    int rowStep;
    int colStep;
    switch (k) {
      case 1 -> {
        base = last * 3;
        rowStep = -3;
        colStep = pixelRow;
      }
      case 2 -> {
        base = (last * size + last) * 3;
        rowStep = -pixelRow;
        colStep = -3;
      }
      default -> {
        base = last * size * 3;
        rowStep = 3;
        colStep = -pixelRow;
      }
    }
    byte[] out = new byte[square.length];
    // Tiles keep the strided reads of a quarter turn inside the L1 cache.
    for (int tileRow = 0; tileRow < size; tileRow += TILE) {
      int rowEnd = Math.min(size, tileRow + TILE);
      for (int tileCol = 0; tileCol < size; tileCol += TILE) {
        int colEnd = Math.min(size, tileCol + TILE);
        for (int row = tileRow; row < rowEnd; row++) {
          int o = (row * size + tileCol) * 3;
          int s = base + row * rowStep + tileCol * colStep;
          for (int col = tileCol; col < colEnd; col++, o += 3, s += colStep) {
            out[o] = square[s];
            out[o + 1] = square[s + 1];
            out[o + 2] = square[s + 2];
          }
        }
      }
    }
    return out;
  }

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

  /** Mirrors an RGB image left to right, in place. */
  public static void flipHorizontally(byte[] rgb, int width, int height) {
    for (int y = 0; y < height; y++) {
      int left = y * width * 3;
      int right = left + (width - 1) * 3;
      while (left < right) {
        for (int c = 0; c < 3; c++) {
          byte swap = rgb[left + c];
          rgb[left + c] = rgb[right + c];
          rgb[right + c] = swap;
        }
        left += 3;
        right -= 3;
      }
    }
  }
}
