package io.rotnet.app.inspect;

import io.rotnet.producer.encode.PixelEncoder;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/** Turns the pixels of a {@link RotatedImage} back into a picture, whatever their encoding. */
public final class ViewPixels {

  private ViewPixels() {}

  /** Mean intensity when the pixels could be read, else null with the reason. */
  public record Summary(Double mean, String problem) {}

  public static Summary summarise(RotatedImage image) {
    try {
      BufferedImage picture = toImage(image);
      long sum = 0;
      int[] row = new int[picture.getWidth()];
      for (int y = 0; y < picture.getHeight(); y++) {
        picture.getRGB(0, y, picture.getWidth(), 1, row, 0, picture.getWidth());
        for (int argb : row) {
          sum += ((argb >> 16) & 0xFF) + ((argb >> 8) & 0xFF) + (argb & 0xFF);
        }
      }
      return new Summary((double) sum / (3L * picture.getWidth() * picture.getHeight()), null);
    } catch (IllegalArgumentException e) {
      return new Summary(null, e.getMessage());
    }
  }

  /**
   * The view as an RGB picture.
   *
   * @throws IllegalArgumentException when the pixels do not match the declared shape or encoding
   */
  public static BufferedImage toImage(RotatedImage image) {
    byte[] bytes = bytes(image.getPixels());
    int width = image.getWidth();
    int height = image.getHeight();
    if (image.getEncoding() == PixelEncoding.RAW_RGB8) {
      if (image.getChannels() != 3 || bytes.length != (long) width * height * 3) {
        throw new IllegalArgumentException(
            "RAW_RGB8 " + width + "x" + height + "x" + image.getChannels() + " needs "
                + (long) width * height * 3 + " bytes, got " + bytes.length);
      }
      return PixelEncoder.wrap(bytes, width, height);
    }
    try {
      BufferedImage picture = ImageIO.read(new ByteArrayInputStream(bytes));
      if (picture == null) {
        throw new IllegalArgumentException(image.getEncoding() + " pixels are not a readable image");
      }
      return picture;
    } catch (IOException e) {
      throw new IllegalArgumentException(image.getEncoding() + " pixels cannot be decoded: " + e.getMessage(), e);
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
