package io.rotnet.dense.detection.ops;

/**
 * mmdet 2.x {@code MaxIoUAssigner}. Each box takes its best GT: negative (0) below {@code negIou},
 * positive (GT index + 1) at or above {@code posIou}, ignored (-1) in between. With the low-quality
 * rule every GT whose best IoU reaches {@code minPosIou} also claims every box tied at that IoU
 * (gt_max_assign_all), later GTs overriding earlier ones, as in mmdet's loop.
 */
public final class MaxIouAssigner {

  private final float posIou;
  private final float negIou;
  private final float minPosIou;
  private final boolean matchLowQuality;

  public MaxIouAssigner(float posIou, float negIou, float minPosIou, boolean matchLowQuality) {
    this.posIou = posIou;
    this.negIou = negIou;
    this.minPosIou = minPosIou;
    this.matchLowQuality = matchLowQuality;
  }

  /**
   * Assigns {@code boxes} to {@code gts}.
   *
   * @return per box: -1 ignored, 0 background, i + 1 for GT i
   */
  public Assignment assign(float[] boxes, float[] gts) {
    int n = Boxes.count(boxes);
    int g = Boxes.count(gts);
    int[] assigned = new int[n];
    float[] maxOverlap = new float[n];
    if (g == 0) {
      return new Assignment(assigned, maxOverlap);
    }
    float[] overlaps = Boxes.iouMatrix(gts, boxes); // [g, n]
    for (int j = 0; j < n; j++) {
      int best = 0;
      for (int i = 1; i < g; i++) {
        if (overlaps[i * n + j] > overlaps[best * n + j]) {
          best = i;
        }
      }
      float iou = overlaps[best * n + j];
      maxOverlap[j] = iou;
      if (iou >= posIou) {
        assigned[j] = best + 1;
      } else if (iou >= 0 && iou < negIou) {
        assigned[j] = 0;
      } else {
        assigned[j] = -1;
      }
    }
    if (matchLowQuality) {
      for (int i = 0; i < g; i++) {
        float gtMax = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          gtMax = Math.max(gtMax, overlaps[i * n + j]);
        }
        if (n > 0 && gtMax >= minPosIou) {
          for (int j = 0; j < n; j++) {
            if (overlaps[i * n + j] == gtMax) {
              assigned[j] = i + 1;
            }
          }
        }
      }
    }
    return new Assignment(assigned, maxOverlap);
  }

  /**
   * @param gtIndex per box: -1 ignored, 0 background, i + 1 for GT i
   * @param maxOverlap per box: its best IoU with any GT (0 when there is none)
   */
  public record Assignment(int[] gtIndex, float[] maxOverlap) {}
}
