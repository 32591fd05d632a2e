package io.rotnet.dense.detection.model;

import io.rotnet.dense.detection.ops.MaskPaster;
import java.util.List;

/**
 * One image's detections, best first.
 *
 * @param boxes (x1, y1, x2, y2) per detection, in the input image's pixels
 * @param scores class score per detection
 * @param labels 0-based class per detection
 * @param maskProbabilities per detection, its class's [maskSize, maskSize] mask probabilities
 *     ({@code null} for box-only detectors); pasted on demand, since a full-size bitmap per
 *     detection would cost 100 x the image
 * @param maskSize side of each mask probability grid
 */
public record Detections(float[] boxes, float[] scores, int[] labels, List<float[]> maskProbabilities, int maskSize) {

  /** Box-only detections. */
  public Detections(float[] boxes, float[] scores, int[] labels) {
    this(boxes, scores, labels, null, 0);
  }

  public int size() {
    return scores.length;
  }

  public boolean hasMasks() {
    return maskProbabilities != null;
  }

  /**
   * Detection {@code j}'s mask pasted into an image of {@code height x width} whose pixels are
   * this batch's divided by {@code (scaleX, scaleY)} (1, 1 for the batch's own pixels), as mmdet
   * pastes into the original image with {@code rescale=True}.
   *
   * @return [height, width] row-major, 0 or 1 at {@code threshold}
   */
  public float[] mask(int j, int height, int width, float scaleX, float scaleY, float threshold) {
    if (maskProbabilities == null) {
      throw new IllegalStateException("these detections have no masks");
    }
    float[] box = {boxes[4 * j] / scaleX, boxes[4 * j + 1] / scaleY, boxes[4 * j + 2] / scaleX, boxes[4 * j + 3] / scaleY};
    return MaskPaster.paste(maskProbabilities.get(j), maskSize, box, height, width, threshold);
  }
}
