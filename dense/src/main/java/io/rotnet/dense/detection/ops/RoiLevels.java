package io.rotnet.dense.detection.ops;

/**
 * mmdet's {@code SingleRoIExtractor.map_roi_levels}: a RoI of scale sqrt(w h) goes to level
 * floor(log2(scale / 56 + 1e-6)), clamped to the available levels (0 = P2).
 */
public final class RoiLevels {

  private static final float FINEST_SCALE = 56f;

  private RoiLevels() {}

  public static int[] map(float[] rois, int numLevels) {
    int n = Boxes.count(rois);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      // float32 arithmetic as in torch, so boundary RoIs fall on the same side
      float scale =
          (float) Math.sqrt((rois[4 * i + 2] - rois[4 * i]) * (rois[4 * i + 3] - rois[4 * i + 1]));
      float ratio = scale / FINEST_SCALE + 1e-6f;
      int level = (int) Math.floor(Math.log(ratio) / Math.log(2));
      out[i] = Math.max(0, Math.min(numLevels - 1, level));
    }
    return out;
  }
}
