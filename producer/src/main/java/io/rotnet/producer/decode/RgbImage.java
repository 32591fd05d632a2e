package io.rotnet.producer.decode;

import java.util.Objects;

/**
 * An 8-bit RGB image: row-major, interleaved R, G, B, one byte per channel, no padding. The
 * array is shared, not copied; whoever builds one hands the array over.
 */
public record RgbImage(int width, int height, byte[] pixels) {

  public RgbImage {
    Objects.requireNonNull(pixels, "pixels");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (pixels.length != (long) width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + (long) width * height * 3 + " bytes for " + width + "x" + height
              + " RGB, got " + pixels.length);
    }
  }

  /** Index of the red byte of pixel (x, y). */
  public int offset(int x, int y) {
    return (y * width + x) * 3;
  }

  /** A copy of the {@code width x height} rectangle whose top-left pixel is (x, y). */
  public RgbImage region(int x, int y, int regionWidth, int regionHeight) {
    if (x < 0 || y < 0 || regionWidth <= 0 || regionHeight <= 0
        || x + regionWidth > width || y + regionHeight > height) {
      throw new IllegalArgumentException(
          "region " + regionWidth + "x" + regionHeight + "+" + x + "+" + y + " outside "
              + width + "x" + height);
    }
    if (x == 0 && y == 0 && regionWidth == width && regionHeight == height) {
      return this;
    }
    int rowBytes = regionWidth * 3;
    byte[] out = new byte[regionHeight * rowBytes];
    for (int row = 0; row < regionHeight; row++) {
      System.arraycopy(pixels, offset(x, y + row), out, row * rowBytes, rowBytes);
    }
    return new RgbImage(regionWidth, regionHeight, out);
  }

  /** Average of all channel bytes; handy for summaries. */
  public double meanIntensity() {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xFF;
    }
    return (double) sum / pixels.length;
  }
}
