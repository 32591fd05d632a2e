package io.rotnet.dense.detection.ops;

/**
 * Axis-aligned boxes as flat {@code float[]} of (x1, y1, x2, y2) quadruples, and mmdet 2.x's
 * {@code bbox_overlaps} (no +1 on widths, union floored at 1e-6).
 */
public final class Boxes {

  private static final float EPS = 1e-6f;

  private Boxes() {}

  public static int count(float[] boxes) {
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException("boxes must hold quadruples, got " + boxes.length + " floats");
    }
    return boxes.length / 4;
  }

  public static float area(float[] boxes, int i) {
    return (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
  }

  /** IoU of box {@code i} of {@code a} with box {@code j} of {@code b}. */
  public static float iou(float[] a, int i, float[] b, int j) {
    float w = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
    float h = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
    float inter = Math.max(w, 0f) * Math.max(h, 0f);
    float union = Math.max(area(a, i) + area(b, j) - inter, EPS);
    return inter / union;
  }

  /** Row-major [n, m] IoU matrix of {@code a} (n boxes) against {@code b} (m boxes). */
  public static float[] iouMatrix(float[] a, float[] b) {
    int n = count(a);
    int m = count(b);
    float[] out = new float[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        out[i * m + j] = iou(a, i, b, j);
      }
    }
    return out;
  }

  /** The boxes at {@code indices}, in that order. */
  public static float[] select(float[] boxes, int[] indices) {
    float[] out = new float[indices.length * 4];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(boxes, 4 * indices[k], out, 4 * k, 4);
    }
    return out;
  }

  /** {@code a} followed by {@code b}. */
  public static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
