package io.rotnet.producer.source;

import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RgbImage;

/**
 * A fixed, indexable set of images. Random access by index is what lets each epoch visit the
 * images in its own seeded order. Implementations are safe for concurrent {@link #load} calls.
 */
public interface ImageSource {

  /** Number of images in one epoch. */
  int size();

  /** Id, URI and label of the image at {@code index} (0 <= index < size), without reading it. */
  SourceEntry entry(int index);

  /**
   * Reads and decodes the image at {@code index}.
   *
   * @throws ImageRejectedException when it cannot be read or is not a usable image
   */
  RgbImage load(int index, ImageDecoder decoder) throws ImageRejectedException;

  /** One line for logs: kind, location, size. */
  String description();
}
