package io.rotnet.producer.encode;

import io.rotnet.schemas.avro.PixelEncoding;
import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns RGB bytes into the {@code pixels} field of a record: raw interleaved RGB8 as is, or a PNG
 * or JPEG file. Thread-safe.
 */
public final class PixelEncoder {

  private final PixelEncoding encoding;
  private final float jpegQuality;

  public PixelEncoder(PixelEncoding encoding, float jpegQuality) {
    if (encoding == null) {
      throw new IllegalArgumentException("encoding must not be null");
    }
    if (!(jpegQuality > 0 && jpegQuality <= 1)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + jpegQuality);
    }
    this.encoding = encoding;
    this.jpegQuality = jpegQuality;
  }

  public PixelEncoding encoding() {
    return encoding;
  }

  public byte[] encode(byte[] rgb, int width, int height) {
    return switch (encoding) {
      case RAW_RGB8 -> rgb;
      case PNG -> write("png", wrap(rgb, width, height), null);
      case JPEG -> write("jpeg", wrap(rgb, width, height), jpegQuality);
    };
  }

  /** A BufferedImage that shares the RGB array (no copy). */
  public static BufferedImage wrap(byte[] rgb, int width, int height) {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + width * height * 3 + " bytes for " + width + "x" + height + " RGB");
    }
    DataBufferByte buffer = new DataBufferByte(rgb, rgb.length);
    PixelInterleavedSampleModel layout =
        new PixelInterleavedSampleModel(
            DataBuffer.TYPE_BYTE, width, height, 3, width * 3, new int[] {0, 1, 2});
    WritableRaster raster = Raster.createWritableRaster(layout, buffer, new Point(0, 0));
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(model, raster, false, null);
  }

  private static byte[] write(String format, BufferedImage image, Float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + format, e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
