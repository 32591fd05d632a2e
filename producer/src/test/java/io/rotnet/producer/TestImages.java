package io.rotnet.producer;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Test images made on the spot: good ones in every colour model, and broken ones. */
public final class TestImages {

  private TestImages() {}

  /** A smooth colourful RGB picture with a dark marker square in its top-left corner. */
  public static BufferedImage rgbPicture(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = x * 255 / Math.max(1, width - 1);
        int g = y * 255 / Math.max(1, height - 1);
        int b = (x + y) % 64 * 4;
        if (x < width / 4 && y < height / 4) {
          r = 20;
          g = 20;
          b = 200;
        }
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  public static byte[] jpeg(BufferedImage image) {
    return write(image, "jpeg");
  }

  public static byte[] png(BufferedImage image) {
    return write(image, "png");
  }

  public static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Gray + alpha PNG (colour type 4): gray ramp left to right, alpha ramp top to bottom. */
  public static byte[] grayAlphaPng(int width, int height) {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster =
        Raster.createWritableRaster(
            new PixelInterleavedSampleModel(
                DataBuffer.TYPE_BYTE, width, height, 2, width * 2, new int[] {0, 1}),
            new Point(0, 0));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setPixel(x, y, new int[] {grayAt(x, width), alphaAt(y, height)});
      }
    }
    return png(new BufferedImage(model, raster, false, null));
  }

  public static int grayAt(int x, int width) {
    return x * 255 / Math.max(1, width - 1);
  }

  public static int alphaAt(int y, int height) {
    return y * 255 / Math.max(1, height - 1);
  }

  /** 4-colour palette PNG whose entry 0 (left quarter) is fully transparent red. */
  public static byte[] palettePng(int width, int height) {
    byte[] r = {(byte) 255, 0, 0, (byte) 255};
    byte[] g = {0, (byte) 255, 0, (byte) 255};
    byte[] b = {0, 0, (byte) 255, 0};
    byte[] a = {0, (byte) 255, (byte) 255, (byte) 255};
    IndexColorModel palette = new IndexColorModel(8, 4, r, g, b, a);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, Math.min(3, x * 4 / width));
      }
    }
    return png(image);
  }

  /** 16-bit gray PNG with a horizontal ramp over the full 16-bit range. */
  public static byte[] gray16Png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, x * 65535 / Math.max(1, width - 1));
      }
    }
    return png(image);
  }

  /**
   * A CMYK JPEG as Photoshop writes it (Adobe APP14 marker, inverted samples): left half without
   * ink (white), right half full cyan.
   */
  public static byte[] cmykJpeg(int width, int height) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        // Adobe stores 255 - ink.
        raster.setPixel(x, y, x < width / 2 ? new int[] {255, 255, 255, 255} : new int[] {0, 255, 255, 255});
      }
    }
    ImageWriter writer = anyJpegWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    byte[] plain = bytes.toByteArray();
    byte[] adobe = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    byte[] withMarker = new byte[plain.length + adobe.length];
    System.arraycopy(plain, 0, withMarker, 0, 2);
    System.arraycopy(adobe, 0, withMarker, 2, adobe.length);
    System.arraycopy(plain, 2, withMarker, 2 + adobe.length, plain.length - 2);
    return withMarker;
  }

  private static ImageWriter anyJpegWriter() {
    var writers = ImageIO.getImageWritersByFormatName("jpeg");
    return writers.next();
  }

  /** A JPEG whose entropy-coded data is overwritten with garbage in the middle. */
  public static byte[] corruptJpeg(int width, int height) {
    byte[] good = jpeg(rgbPicture(width, height));
    byte[] bad = good.clone();
    for (int i = good.length / 3; i < good.length / 3 + 200 && i < good.length - 2; i++) {
      bad[i] = (byte) (i * 31);
    }
    return bad;
  }

  /** The first half of a PNG. */
  public static byte[] truncatedPng(int width, int height) {
    byte[] good = png(rgbPicture(width, height));
    return Arrays.copyOf(good, good.length / 2);
  }

  public static byte[] textFile() {
    return "this is a text file, not a JPEG\n".getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A tiny, well-formed PNG whose IHDR claims {@code width x height} RGB pixels: a decompression
   * bomb shape. The IDAT holds a few compressed rows only.
   */
  public static byte[] pngClaiming(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height);
    header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[4096]);
    deflater.finish();
    byte[] compressed = new byte[4096];
    int length = deflater.deflate(compressed);
    deflater.end();
    chunk(out, "IDAT", Arrays.copyOf(compressed, length));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  public static Path writeFile(Path path, byte[] bytes) {
    try {
      Files.createDirectories(path.getParent());
      return Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
