package io.rotnet.producer.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Photo-like JPEGs for the benchmark when no image folder is given: smooth colour fields, a few
 * hard-edged shapes and sensor-like noise, at quality 90. At ImageNet's typical size (500x375)
 * they come out at roughly 60-120 KB, like ImageNet's files, so decoding costs what it costs there.
 */
public final class BenchImages {

  private BenchImages() {}

  /** Writes {@code count} JPEGs into {@code dir} and returns it. */
  public static Path generate(Path dir, int count, int width, int height, long seed) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      BufferedImage image = picture(width, height, new SplittableRandom(seed * 1_000_003L + i));
      writeJpeg(image, dir.resolve(String.format("bench-%05d.jpg", i)), 0.9f);
    }
    return dir;
  }

  static BufferedImage picture(int width, int height, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    double[][] field = new double[3][4];
    for (double[] channel : field) {
      for (int k = 0; k < 4; k++) {
        channel[k] = random.nextDouble(40, 215);
      }
    }
    int shapes = 6;
    int[][] boxes = new int[shapes][7];
    for (int[] box : boxes) {
      box[0] = random.nextInt(width);
      box[1] = random.nextInt(height);
      box[2] = random.nextInt(width / 8, width / 2);
      box[3] = random.nextInt(height / 8, height / 2);
      box[4] = random.nextInt(256);
      box[5] = random.nextInt(256);
      box[6] = random.nextInt(256);
    }
    for (int y = 0; y < height; y++) {
      double v = (double) y / height;
      for (int x = 0; x < width; x++) {
        double u = (double) x / width;
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
          double[] f = field[c];
          rgb[c] = (int) ((1 - u) * (1 - v) * f[0] + u * (1 - v) * f[1] + (1 - u) * v * f[2] + u * v * f[3]);
        }
        for (int[] box : boxes) {
          if (x >= box[0] && x < box[0] + box[2] && y >= box[1] && y < box[1] + box[3]) {
            rgb[0] = (rgb[0] + box[4]) / 2;
            rgb[1] = (rgb[1] + box[5]) / 2;
            rgb[2] = (rgb[2] + box[6]) / 2;
          }
        }
        int noise = random.nextInt(-18, 19);
        int r = clamp(rgb[0] + noise + random.nextInt(-6, 7));
        int g = clamp(rgb[1] + noise + random.nextInt(-6, 7));
        int b = clamp(rgb[2] + noise + random.nextInt(-6, 7));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }

  static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /**
   * A CMYK JPEG as Photoshop writes it (Adobe APP14 marker, inverted samples), built from a
   * picture, to time the CMYK path of each decoder.
   */
  public static byte[] cmykJpeg(int width, int height, long seed) throws IOException {
    BufferedImage picture = picture(width, height, new SplittableRandom(seed));
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    int[] cmyk = new int[4];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = picture.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        int k = 255 - Math.max(r, Math.max(g, b));
        // inverted CMYK as Adobe stores it: 255 means no ink
        cmyk[0] = 255 - (255 - r - k);
        cmyk[1] = 255 - (255 - g - k);
        cmyk[2] = 255 - (255 - b - k);
        cmyk[3] = 255 - k;
        raster.setPixel(x, y, cmyk);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] plain = bytes.toByteArray();
    byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    byte[] marked = new byte[plain.length + adobe.length];
    System.arraycopy(plain, 0, marked, 0, 2);
    System.arraycopy(adobe, 0, marked, 2, adobe.length);
    System.arraycopy(plain, 2, marked, 2 + adobe.length, plain.length - 2);
    return marked;
  }
}
