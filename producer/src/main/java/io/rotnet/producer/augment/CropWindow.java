package io.rotnet.producer.augment;

/**
 * A rectangle of the source image: top row, left column, height and width in pixels.
 * Named as torchvision's {@code (i, j, h, w)}.
 */
public record CropWindow(int top, int left, int height, int width) {

  public CropWindow {
    if (top < 0 || left < 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "invalid crop top=" + top + " left=" + left + " height=" + height + " width=" + width);
    }
  }

  /** True when the window lies inside an image of this size. */
  public boolean fitsIn(int imageWidth, int imageHeight) {
    return top + height <= imageHeight && left + width <= imageWidth;
  }
}
