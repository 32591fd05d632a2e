package io.rotnet.dense.detection.model;

import java.util.List;

/**
 * Images padded into one NCHW batch, with each image's own extent and ground truth.
 *
 * @param pixels normalised RGB, [N, 3, padHeight, padWidth] row-major
 * @param padHeight padded height (a multiple of the pad divisor)
 * @param padWidth padded width
 * @param images per image: extent and ground truth
 */
public record DetectionBatch(float[] pixels, int padHeight, int padWidth, List<Image> images) {

  public DetectionBatch {
    if (pixels.length != (long) images.size() * 3 * padHeight * padWidth) {
      throw new IllegalArgumentException(
          "pixels hold " + pixels.length + " floats, " + images.size() + " images of 3 x "
              + padHeight + " x " + padWidth + " need " + images.size() * 3L * padHeight * padWidth);
    }
  }

  public int size() {
    return images.size();
  }

  /**
   * One image of the batch.
   *
   * @param height unpadded height (after resizing)
   * @param width unpadded width
   * @param boxes GT boxes (x1, y1, x2, y2) in the image's pixels
   * @param labels GT class per box, 0-based
   * @param masks GT bitmaps [height, width] per box, 0/1 ({@code null} without masks)
   */
  public record Image(int height, int width, float[] boxes, int[] labels, List<float[]> masks) {}
}
