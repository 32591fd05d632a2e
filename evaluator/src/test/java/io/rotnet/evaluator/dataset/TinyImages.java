package io.rotnet.evaluator.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Writes small image datasets to disk for the reader tests. */
final class TinyImages {
  private TinyImages() {}

  static void writeSolid(Path file, String format, int width, int height, int rgb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
  }

  /** IDX image and label files of {@code count} images whose pixels all equal their label * 20. */
  static void writeIdx(Path dir, String prefix, int count, int side, boolean gzip) throws IOException {
    Files.createDirectories(dir);
    ByteArrayOutputStream images = new ByteArrayOutputStream();
    DataOutputStream img = new DataOutputStream(images);
    img.writeInt(0x803);
    img.writeInt(count);
    img.writeInt(side);
    img.writeInt(side);
    ByteArrayOutputStream labels = new ByteArrayOutputStream();
    DataOutputStream lab = new DataOutputStream(labels);
    lab.writeInt(0x801);
    lab.writeInt(count);
    for (int i = 0; i < count; i++) {
      int label = i % 3;
      lab.writeByte(label);
      for (int p = 0; p < side * side; p++) {
        img.writeByte(label * 20);
      }
    }
    write(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), images.toByteArray(), gzip);
    write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), labels.toByteArray(), gzip);
  }

  static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
  }
}
