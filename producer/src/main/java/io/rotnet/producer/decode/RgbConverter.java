package io.rotnet.producer.decode;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns whatever a reader produced into interleaved 8-bit RGB with transparency composited on
 * white. Gray, RGB and palette data are taken as stored (no colour management), as PIL and
 * torchvision do; 16-bit samples are rounded to 8 bits. Other colour spaces (CMYK, YCCK after a
 * TwelveMonkeys conversion, ICC-defined spaces) go through the colour model to sRGB.
 */
final class RgbConverter {

  private RgbConverter() {}

  static RgbImage toRgb(BufferedImage image) {
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    if (model instanceof IndexColorModel palette) {
      return fromPalette(palette, raster);
    }
    if (model instanceof ComponentColorModel && isGrayOrRgb(model.getColorSpace())) {
      if (raster.getDataBuffer() instanceof DataBufferByte
          && allEightBit(model)
          && raster.getSampleModel() instanceof ComponentSampleModel
          && raster.getSampleModelTranslateX() == 0
          && raster.getSampleModelTranslateY() == 0) {
        return fromInterleavedBytes(model, raster);
      }
      return fromComponents(model, raster);
    }
    return fromArgb(image);
  }

  private static boolean allEightBit(ColorModel model) {
    for (int size : model.getComponentSize()) {
      if (size != 8) {
        return false;
      }
    }
    return true;
  }

  private static boolean isGrayOrRgb(ColorSpace space) {
    return space.getType() == ColorSpace.TYPE_GRAY || space.getType() == ColorSpace.TYPE_RGB;
  }

  /** Composites one 8-bit channel value with straight alpha on a white background. */
  static int onWhite(int value, int alpha) {
    return (value * alpha + 255 * (255 - alpha) + 127) / 255;
  }

  /** 8-bit data straight from the backing array: the common JPEG and PNG case, no per-pixel calls. */
  private static RgbImage fromInterleavedBytes(ColorModel model, Raster raster) {
    ComponentSampleModel sampleModel = (ComponentSampleModel) raster.getSampleModel();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int[] bankIndices = sampleModel.getBankIndices();
    for (int bank : bankIndices) {
      if (bank != 0) {
        return fromComponents(model, raster);
      }
    }
    int[] offsets = sampleModel.getBandOffsets();
    int base = ((DataBufferByte) raster.getDataBuffer()).getOffset();
    int pixelStride = sampleModel.getPixelStride();
    int lineStride = sampleModel.getScanlineStride();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int colours = model.getNumColorComponents();
    boolean alpha = model.hasAlpha();
    boolean premultiplied = model.isAlphaPremultiplied();
    int redOffset = offsets[0];
    int greenOffset = colours == 3 ? offsets[1] : offsets[0];
    int blueOffset = colours == 3 ? offsets[2] : offsets[0];
    int alphaOffset = alpha ? offsets[colours] : 0;
    byte[] out = new byte[width * height * 3];
    if (!alpha && colours == 3 && pixelStride == 3) {
      // The JPEG and RGB PNG case: a straight byte shuffle, one tight loop per row.
      for (int y = 0, o = 0; y < height; y++) {
        int p = base + y * lineStride;
        for (int end = o + width * 3; o < end; o += 3, p += 3) {
          out[o] = data[p + redOffset];
          out[o + 1] = data[p + greenOffset];
          out[o + 2] = data[p + blueOffset];
        }
      }
      return new RgbImage(width, height, out);
    }
    if (!alpha && colours == 1 && pixelStride == 1) {
      for (int y = 0, o = 0; y < height; y++) {
        int p = base + y * lineStride;
        for (int end = o + width * 3; o < end; o += 3, p++) {
          byte gray = data[p + redOffset];
          out[o] = gray;
          out[o + 1] = gray;
          out[o + 2] = gray;
        }
      }
      return new RgbImage(width, height, out);
    }
    int o = 0;
    for (int y = 0; y < height; y++) {
      int p = base + y * lineStride;
      for (int x = 0; x < width; x++, p += pixelStride) {
        int r = data[p + redOffset] & 0xFF;
        int g = data[p + greenOffset] & 0xFF;
        int b = data[p + blueOffset] & 0xFF;
        int a = alpha ? data[p + alphaOffset] & 0xFF : 255;
        putOnWhite(out, o, r, g, b, a, premultiplied);
        o += 3;
      }
    }
    return new RgbImage(width, height, out);
  }

  /** Any sample depth (16-bit PNG, packed rasters), one row at a time through the raster. */
  private static RgbImage fromComponents(ColorModel model, Raster raster) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int bands = raster.getNumBands();
    int colours = model.getNumColorComponents();
    boolean alpha = model.hasAlpha();
    boolean premultiplied = model.isAlphaPremultiplied();
    int[] maxValue = new int[bands];
    for (int band = 0; band < bands; band++) {
      maxValue[band] = (1 << model.getComponentSize(band)) - 1;
    }
    int[] row = new int[width * bands];
    byte[] out = new byte[width * height * 3];
    int o = 0;
    int minX = raster.getMinX();
    int minY = raster.getMinY();
    for (int y = 0; y < height; y++) {
      raster.getPixels(minX, minY + y, width, 1, row);
      for (int x = 0, p = 0; x < width; x++, p += bands) {
        int r = to8Bit(row[p], maxValue[0]);
        int g = colours == 3 ? to8Bit(row[p + 1], maxValue[1]) : r;
        int b = colours == 3 ? to8Bit(row[p + 2], maxValue[2]) : r;
        int a = alpha ? to8Bit(row[p + colours], maxValue[colours]) : 255;
        putOnWhite(out, o, r, g, b, a, premultiplied);
        o += 3;
      }
    }
    return new RgbImage(width, height, out);
  }

  /**
   * Writes one pixel at {@code out[o..o+2]}, composited on white by its alpha (straight or
   * premultiplied); opaque pixels (alpha 255) come out unchanged either way.
   */
  private static void putOnWhite(
      byte[] out, int o, int r, int g, int b, int a, boolean premultiplied) {
    if (a == 255) {
      out[o] = (byte) r;
      out[o + 1] = (byte) g;
      out[o + 2] = (byte) b;
    } else if (premultiplied) {
      out[o] = (byte) Math.min(255, r + 255 - a);
      out[o + 1] = (byte) Math.min(255, g + 255 - a);
      out[o + 2] = (byte) Math.min(255, b + 255 - a);
    } else {
      out[o] = (byte) onWhite(r, a);
      out[o + 1] = (byte) onWhite(g, a);
      out[o + 2] = (byte) onWhite(b, a);
    }
  }

  private static int to8Bit(int value, int max) {
    if (max == 255) {
      return value;
    }
    return (int) (((long) value * 255 + max / 2) / max);
  }

  /** Palette images (GIF, 1-8 bit PNG, BMP) including a transparent entry (tRNS). */
  private static RgbImage fromPalette(IndexColorModel palette, Raster raster) {
    int size = palette.getMapSize();
    byte[] red = new byte[size];
    byte[] green = new byte[size];
    byte[] blue = new byte[size];
    byte[] alpha = new byte[size];
    palette.getReds(red);
    palette.getGreens(green);
    palette.getBlues(blue);
    palette.getAlphas(alpha);
    byte[][] lut = new byte[3][size];
    for (int i = 0; i < size; i++) {
      int a = alpha[i] & 0xFF;
      lut[0][i] = (byte) onWhite(red[i] & 0xFF, a);
      lut[1][i] = (byte) onWhite(green[i] & 0xFF, a);
      lut[2][i] = (byte) onWhite(blue[i] & 0xFF, a);
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    int[] row = new int[width];
    byte[] out = new byte[width * height * 3];
    int o = 0;
    for (int y = 0; y < height; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        int index = Math.min(row[x], size - 1);
        out[o++] = lut[0][index];
        out[o++] = lut[1][index];
        out[o++] = lut[2][index];
      }
    }
    return new RgbImage(width, height, out);
  }

  /** Everything else (packed int RGB, CMYK, ICC spaces): through the colour model to sRGB. */
  private static RgbImage fromArgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] row = new int[width];
    byte[] out = new byte[width * height * 3];
    int o = 0;
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        int a = argb >>> 24;
        out[o++] = (byte) onWhite((argb >> 16) & 0xFF, a);
        out[o++] = (byte) onWhite((argb >> 8) & 0xFF, a);
        out[o++] = (byte) onWhite(argb & 0xFF, a);
      }
    }
    return new RgbImage(width, height, out);
  }
}
