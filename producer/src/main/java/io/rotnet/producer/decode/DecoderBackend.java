package io.rotnet.producer.decode;

import javax.imageio.ImageReader;

/**
 * Which ImageIO plug-ins decode. TwelveMonkeys' JPEG reader wraps the JDK's libjpeg-based one and
 * adds CMYK/YCCK and broken-ICC handling, so it is the default; {@link #JDK} keeps only the
 * readers that ship with the JDK (measured side by side in {@code rotnet bench producer}).
 */
public enum DecoderBackend {
  /** TwelveMonkeys where it has a reader for the format, the JDK's readers otherwise. */
  TWELVEMONKEYS("com.twelvemonkeys."),
  /** Only the JDK's own readers. */
  JDK("com.sun.imageio.");

  private final String packagePrefix;

  DecoderBackend(String packagePrefix) {
    this.packagePrefix = packagePrefix;
  }

  boolean prefers(ImageReader reader) {
    return reader.getClass().getName().startsWith(packagePrefix);
  }
}
