package io.rotnet.producer.decode;

import java.util.Arrays;

/**
 * An input that cannot become a training image: corrupt, truncated, not an image, or too large.
 * Carries the reason and the first bytes of the input for the dead letter.
 */
public final class ImageRejectedException extends Exception {

  private static final int EXCERPT_BYTES = 256;

  private final transient byte[] excerpt;

  public ImageRejectedException(String reason, byte[] input) {
    this(reason, input, null);
  }

  public ImageRejectedException(String reason, byte[] input, Throwable cause) {
    super(reason, cause);
    this.excerpt = input == null ? new byte[0] : Arrays.copyOf(input, Math.min(input.length, EXCERPT_BYTES));
  }

  /** The reason, fit for a dead letter and a log line. */
  public String reason() {
    return getMessage();
  }

  /** At most the first 256 bytes of the refused input. */
  public byte[] excerpt() {
    return excerpt.clone();
  }
}
