package io.rotnet.producer.decode;

import java.awt.Rectangle;

/**
 * Picks, from an image's dimensions as its header states them, the part of the image that will
 * be used, so that only that part is decoded and converted: a random crop of a JPEG needs
 * neither the rows below it nor the colour conversion of the columns beside it.
 */
@FunctionalInterface
public interface RegionChooser {

  /** The whole image. */
  RegionChooser WHOLE = (width, height) -> new Rectangle(0, 0, width, height);

  /** A non-empty rectangle inside {@code width x height}; called once per decode. */
  Rectangle choose(int width, int height);
}
