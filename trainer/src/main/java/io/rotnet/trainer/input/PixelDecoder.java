package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes the pixels of a {@link RotatedImage} (raw RGB, PNG or JPEG) into normalized float CHW
 * values inside a caller's buffer, so a batch is assembled without intermediate arrays.
 *
 * <p>Not thread-safe: it keeps image readers and a scratch ARGB buffer; use one per decoding
 * thread.
 */
public final class PixelDecoder {

  private final int inputSize;
  private final float[][] tables;
  private final Map<String, ImageReader> readers = new HashMap<>();
  private int[] argb = new int[0];

  public PixelDecoder(int inputSize, ImageNormalization normalization) {
    if (inputSize <= 0) {
      throw new IllegalArgumentException("input size must be positive, got " + inputSize);
    }
    this.inputSize = inputSize;
    this.tables = normalization.lookupTables();
  }

  /** Floats one image takes: {@code 3 * size * size}. */
  public int floatsPerImage() {
    return 3 * inputSize * inputSize;
  }

  /**
   * Writes the image's channels, each row-major, at {@code target[offset ...]}.
   *
   * @throws RejectedInputException when the pixels do not match the declared encoding or shape
   */
  public void decodeInto(RotatedImage image, float[] target, int offset)
      throws RejectedInputException {
    if (image.getHeight() != inputSize
        || image.getWidth() != inputSize
        || image.getChannels() != 3) {
      throw new RejectedInputException(
          Refusal.WRONG_SHAPE,
          "shape "
              + image.getChannels()
              + "x"
              + image.getHeight()
              + "x"
              + image.getWidth()
              + " is not the expected 3x"
              + inputSize
              + "x"
              + inputSize);
    }
    ByteBuffer pixels = image.getPixels().duplicate();
    PixelEncoding encoding = image.getEncoding();
    switch (encoding) {
      case RAW_RGB8 -> decodeRaw(pixels, target, offset);
      case PNG -> decodeCompressed(pixels, "png", target, offset);
      case JPEG -> decodeCompressed(pixels, "jpeg", target, offset);
      default ->
          throw new RejectedInputException(
              Refusal.BAD_HEADER, "unsupported pixel encoding " + encoding);
    }
  }

  private void decodeRaw(ByteBuffer pixels, float[] target, int offset)
      throws RejectedInputException {
    int plane = inputSize * inputSize;
    if (pixels.remaining() != 3 * plane) {
      throw new RejectedInputException(
          Refusal.WRONG_SHAPE,
          "RAW_RGB8 pixels hold " + pixels.remaining() + " bytes, expected " + 3 * plane);
    }
    float[] red = tables[0];
    float[] green = tables[1];
    float[] blue = tables[2];
    int base = pixels.position();
    for (int i = 0; i < plane; i++) {
      int at = base + 3 * i;
      target[offset + i] = red[pixels.get(at) & 0xff];
      target[offset + plane + i] = green[pixels.get(at + 1) & 0xff];
      target[offset + 2 * plane + i] = blue[pixels.get(at + 2) & 0xff];
    }
  }

  private void decodeCompressed(ByteBuffer pixels, String format, float[] target, int offset)
      throws RejectedInputException {
    byte[] bytes = new byte[pixels.remaining()];
    pixels.get(bytes);
    BufferedImage decoded = read(bytes, format);
    if (decoded.getWidth() != inputSize || decoded.getHeight() != inputSize) {
      throw new RejectedInputException(
          Refusal.WRONG_SHAPE,
          format.toUpperCase()
              + " image is "
              + decoded.getWidth()
              + "x"
              + decoded.getHeight()
              + ", its record declares "
              + inputSize
              + "x"
              + inputSize);
    }
    int plane = inputSize * inputSize;
    if (argb.length < plane) {
      argb = new int[plane];
    }
    // getRGB converts any colour model (gray, palette, CMYK-free JPEG) to sRGB ARGB.
    decoded.getRGB(0, 0, inputSize, inputSize, argb, 0, inputSize);
    for (int i = 0; i < plane; i++) {
      int value = argb[i];
      target[offset + i] = tables[0][(value >>> 16) & 0xff];
      target[offset + plane + i] = tables[1][(value >>> 8) & 0xff];
      target[offset + 2 * plane + i] = tables[2][value & 0xff];
    }
  }

  /**
   * Decodes with this decoder's reader for the format. Readers are reused (finding one in the
   * ImageIO registry costs more than decoding a small image) and the bytes are read from memory,
   * never through ImageIO's file cache.
   */
  private BufferedImage read(byte[] bytes, String format) throws RejectedInputException {
    ImageReader reader = readers.get(format);
    if (reader == null) {
      Iterator<ImageReader> found = ImageIO.getImageReadersByFormatName(format);
      if (!found.hasNext()) {
        throw new RejectedInputException(
            Refusal.CORRUPT_IMAGE, "no " + format + " decoder available");
      }
      reader = found.next();
      readers.put(format, reader);
    }
    try (ImageInputStream input =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(input, true, true);
      return reader.read(0);
    } catch (IOException | RuntimeException e) {
      // A reader that failed may keep broken state: start the next image with a fresh one.
      readers.remove(format).dispose();
      // ImageIO reports corrupt streams with IIOException and, for some truncations, with
      // IndexOutOfBounds or IllegalArgument exceptions: all of them mean "not this format".
      throw new RejectedInputException(
          Refusal.CORRUPT_IMAGE,
          "pixels are not a readable " + format.toUpperCase() + " image: " + e.getMessage(),
          e);
    } finally {
      ImageReader current = readers.get(format);
      if (current != null) {
        current.setInput(null);
      }
    }
  }
}
