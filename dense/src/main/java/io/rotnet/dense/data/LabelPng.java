package io.rotnet.dense.data;

import io.rotnet.evaluator.dataset.DatasetException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Label maps as PNG: the palette PNGs of {@code SegmentationClass} (the value is the palette
 * index, as PIL reads mode 'P') and the 8-bit gray PNGs of {@code SegmentationClassAug}.
 */
public final class LabelPng {
  private LabelPng() {}

  /** A label map, row-major. */
  public record LabelMap(int width, int height, int[] labels) {}

  public static LabelMap read(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new DatasetException("label " + file + " does not decode: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new DatasetException("label " + file + " is not a readable PNG");
    }
    boolean indexed = image.getColorModel() instanceof IndexColorModel;
    if (!indexed && image.getRaster().getNumBands() != 1) {
      throw new DatasetException("label " + file + " has " + image.getRaster().getNumBands()
          + " bands; a label PNG is palette-indexed or 8-bit gray");
    }
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int[] labels = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
    return new LabelMap(w, h, labels);
  }

  /** Writes a label map as 8-bit gray PNG (the SegmentationClassAug form). */
  public static void writeGray(Path file, int width, int height, int[] labels) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    raster.setSamples(0, 0, width, height, 0, labels);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  /** Writes a label map as a palette PNG with the VOC colour map (the SegmentationClass form). */
  public static void writePalette(Path file, int width, int height, int[] labels) throws IOException {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      int red = 0;
      int green = 0;
      int blue = 0;
      for (int j = 0; j < 8; j++) {
        red |= ((c >> 0) & 1) << (7 - j);
        green |= ((c >> 1) & 1) << (7 - j);
        blue |= ((c >> 2) & 1) << (7 - j);
        c >>= 3;
      }
      r[i] = (byte) red;
      g[i] = (byte) green;
      b[i] = (byte) blue;
    }
    IndexColorModel palette = new IndexColorModel(8, 256, r, g, b);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
    image.getRaster().setSamples(0, 0, width, height, 0, labels);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }
}
