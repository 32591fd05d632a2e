package io.rotnet.producer.decode;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded image bytes (JPEG, PNG, GIF, BMP) into 8-bit RGB. The dimensions are read from
 * the header first and images over the pixel limit are refused before any pixel buffer is
 * allocated, so a small file claiming 30000x30000 cannot exhaust the heap. Thread-safe: every
 * call uses its own reader.
 */
public final class ImageDecoder {

  /** 40 megapixels: larger than any ImageNet image, 120 MB once decoded. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private final long maxPixels;
  private final DecoderBackend backend;

  private ImageDecoder(Builder builder) {
    this.maxPixels = builder.maxPixels;
    this.backend = builder.backend;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long maxPixels() {
    return maxPixels;
  }

  public DecoderBackend backend() {
    return backend;
  }

  /**
   * Decodes to RGB, compositing any transparency on white.
   *
   * @throws ImageRejectedException when the bytes are no image, are corrupt or truncated, or
   *     exceed the pixel limit
   */
  public RgbImage decode(byte[] bytes) throws ImageRejectedException {
    return decode(bytes, RegionChooser.WHOLE);
  }

  /**
   * Decodes to RGB only the region {@code chooser} picks once the header has given the image's
   * size; the result is pixel for pixel the same as decoding everything and cropping.
   *
   * @throws ImageRejectedException as {@link #decode(byte[])}
   */
  public RgbImage decode(byte[] bytes, RegionChooser chooser) throws ImageRejectedException {
    BufferedImage image = decodeBuffered(bytes, chooser);
    try {
      return RgbConverter.toRgb(image);
    } catch (RuntimeException e) {
      throw new ImageRejectedException("unsupported pixel layout: " + describe(e), bytes, e);
    }
  }

  /** Decodes to whatever layout the reader produces (used by the decode-only benchmark). */
  public BufferedImage decodeBuffered(byte[] bytes) throws ImageRejectedException {
    return decodeBuffered(bytes, RegionChooser.WHOLE);
  }

  private BufferedImage decodeBuffered(byte[] bytes, RegionChooser chooser)
      throws ImageRejectedException {
    if (bytes.length == 0) {
      throw new ImageRejectedException("empty file", bytes);
    }
    try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = pickReader(input, bytes);
      try {
        reader.setInput(input, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(width, height, bytes);
        Rectangle whole = new Rectangle(0, 0, width, height);
        Rectangle region = chooser.choose(width, height);
        if (region.isEmpty() || !whole.contains(region)) {
          throw new RegionOutsideImage(
              "region " + region + " is not inside the " + width + "x" + height + " image");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(collect(warnings));
        ImageReadParam param = reader.getDefaultReadParam();
        boolean partial = !region.equals(whole);
        if (partial && FileTrailer.isComplete(bytes)) {
          param.setSourceRegion(region);
        }
        BufferedImage image = reader.read(0, param);
        String damage = damageWarning(warnings);
        if (damage != null) {
          throw new ImageRejectedException(formatName(reader) + " data damaged: " + damage, bytes);
        }
        return partial ? exactly(image, region) : image;
      } finally {
        reader.dispose();
      }
    } catch (ImageRejectedException | RegionOutsideImage e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Readers report corrupt input as IIOException, EOFException and, for hostile input,
      // assorted runtime exceptions; all of them mean "not a usable image".
      throw new ImageRejectedException("corrupt or truncated image: " + describe(e), bytes, e);
    }
  }

  private ImageReader pickReader(ImageInputStream input, byte[] bytes) throws ImageRejectedException {
    List<ImageReader> candidates = new ArrayList<>();
    ImageIO.getImageReaders(input).forEachRemaining(candidates::add);
    ImageReader chosen = null;
    for (ImageReader reader : candidates) {
      if (backend.prefers(reader)) {
        chosen = reader;
        break;
      }
    }
    if (chosen == null && backend == DecoderBackend.TWELVEMONKEYS && !candidates.isEmpty()) {
      chosen = candidates.get(0);
    }
    for (ImageReader reader : candidates) {
      if (reader != chosen) {
        reader.dispose();
      }
    }
    if (chosen == null) {
      throw new ImageRejectedException("not a supported image format (JPEG, PNG, GIF, BMP)", bytes);
    }
    return chosen;
  }

  /**
   * A reader that ignored the source region, or a file decoded whole because its end looked
   * damaged, gives the whole image: crop it then.
   */
  private static BufferedImage exactly(BufferedImage image, Rectangle region) {
    if (image.getWidth() == region.width && image.getHeight() == region.height) {
      return image;
    }
    return image.getSubimage(region.x, region.y, region.width, region.height);
  }

  private void checkSize(int width, int height, byte[] bytes) throws ImageRejectedException {
    if (width <= 0 || height <= 0) {
      throw new ImageRejectedException(
          "image header claims an empty size " + width + "x" + height, bytes);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageRejectedException(
          String.format(
              Locale.ROOT,
              "image too large: header claims %dx%d = %d pixels, limit %d",
              width,
              height,
              pixels,
              maxPixels),
          bytes);
    }
  }

  /** The caller's chooser is wrong, not the image: must not be reported as a corrupt file. */
  private static final class RegionOutsideImage extends IllegalArgumentException {
    RegionOutsideImage(String message) {
      super(message);
    }
  }

  private static IIOReadWarningListener collect(List<String> warnings) {
    return (source, warning) -> warnings.add(warning);
  }

  /**
   * The first warning that means the pixels are incomplete or garbage. libjpeg keeps going on
   * truncated or corrupt entropy data and fills the rest with grey, reporting it only as a
   * warning; such an image must not reach training. Junk bytes between markers ("extraneous
   * bytes") are skipped without damage, and metadata warnings (ICC profiles) are harmless.
   */
  static String damageWarning(List<String> warnings) {
    for (String warning : warnings) {
      String lower = warning.toLowerCase(Locale.ROOT);
      if (lower.contains("extraneous bytes")) {
        continue;
      }
      if (lower.contains("premature end")
          || lower.contains("corrupt")
          || lower.contains("truncat")
          || lower.contains("invalid")
          || lower.contains("bogus")) {
        return warning;
      }
    }
    return null;
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return "image";
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  /** Builder: every setting has a default. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private DecoderBackend backend = DecoderBackend.TWELVEMONKEYS;

    private Builder() {}

    /** Images whose header claims more pixels than this are refused (default 40 M). */
    public Builder optMaxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    public Builder optBackend(DecoderBackend backend) {
      this.backend = backend;
      return this;
    }

    public ImageDecoder build() {
      if (maxPixels < 1) {
        throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
      }
      if (backend == null) {
        throw new IllegalArgumentException("backend must not be null");
      }
      return new ImageDecoder(this);
    }
  }
}
