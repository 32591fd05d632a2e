package io.rotnet.dense.detection.model;

import java.util.List;

/**
 * One image's detections, best first.
 *
 * @param boxes (x1, y1, x2, y2) per detection, in the input image's pixels
 * @param scores class score per detection
 * @param labels 0-based class per detection
 * @param masks binary [height, width] masks per detection ({@code null} for box-only detectors)
 */
public record Detections(float[] boxes, float[] scores, int[] labels, List<float[]> masks) {
  public int size() {
    return scores.length;
  }
}
