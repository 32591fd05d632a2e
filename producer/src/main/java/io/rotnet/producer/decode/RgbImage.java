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

  /** Average of all channel bytes; handy for summaries. */
  public double meanIntensity() {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xFF;
    }
    return (double) sum / pixels.length;
  }
}
