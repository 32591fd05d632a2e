package io.rotnet.dense.detection.ops;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Greedy non-maximum suppression as mmcv's {@code nms} (a box is dropped when its IoU with a kept,
 * higher-scoring box is strictly above the threshold) and mmcv's {@code batched_nms}, where boxes
 * of different groups (classes, FPN levels) never suppress each other. Boxes are sorted once and
 * the pass stops as soon as {@code maxKeep} boxes are kept, which is what makes RPN's 12000
 * candidates affordable: at most {@code maxKeep x n} IoUs.
 */
public final class Nms {

  private Nms() {}

  /** Indices of the kept boxes, highest score first; {@code maxKeep < 0} keeps all. */
  public static int[] nms(float[] boxes, float[] scores, float iouThreshold, int maxKeep) {
    return batched(boxes, scores, null, iouThreshold, maxKeep);
  }

  /**
   * Per-group NMS: {@code groups[i]} is box i's class or level ({@code null}: one group). The
   * result is the union of every group's survivors, highest score first, cut at {@code maxKeep}.
   */
  public static int[] batched(
      float[] boxes, float[] scores, int[] groups, float iouThreshold, int maxKeep) {
    int n = Boxes.count(boxes);
    if (scores.length != n || (groups != null && groups.length != n)) {
      throw new IllegalArgumentException("boxes, scores and groups must have one entry per box");
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
    int limit = maxKeep < 0 ? n : Math.min(maxKeep, n);
    int[] kept = new int[limit];
    int keptCount = 0;
    float[] keptAreas = new float[limit];
    for (int k = 0; k < n && keptCount < limit; k++) {
      int i = order[k];
      boolean suppressed = false;
      float areaI = Boxes.area(boxes, i);
      for (int q = 0; q < keptCount && !suppressed; q++) {
        int j = kept[q];
        if (groups != null && groups[i] != groups[j]) {
          continue;
        }
        suppressed = overlap(boxes, i, areaI, j, keptAreas[q]) > iouThreshold;
      }
      if (!suppressed) {
        kept[keptCount] = i;
        keptAreas[keptCount] = areaI;
        keptCount++;
      }
    }
    return Arrays.copyOf(kept, keptCount);
  }

  /** mmcv's CPU kernel: inter / (area_i + area_j - inter), no epsilon, no +1. */
  private static float overlap(float[] b, int i, float areaI, int j, float areaJ) {
    float w = Math.max(0f, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
    float h =
        Math.max(0f, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
    float inter = w * h;
    return inter / (areaI + areaJ - inter);
  }
}
