package io.rotnet.producer.source;

import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RegionChooser;
import io.rotnet.producer.decode.RgbImage;
import java.awt.Rectangle;

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

  /**
   * Reads the image at {@code index} and returns only the region {@code chooser} picks from its
   * size. Sources of encoded files decode just that region; this default crops after loading.
   *
   * @throws ImageRejectedException when it cannot be read or is not a usable image
   */
  default RgbImage load(int index, ImageDecoder decoder, RegionChooser chooser)
      throws ImageRejectedException {
    RgbImage image = load(index, decoder);
    Rectangle region = chooser.choose(image.width(), image.height());
    return image.region(region.x, region.y, region.width, region.height);
  }

  /** One line for logs: kind, location, size. */
  String description();
}
