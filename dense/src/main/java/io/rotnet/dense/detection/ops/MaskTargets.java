package io.rotnet.dense.detection.ops;

/**
 * Mask R-CNN's training targets as mmdet 2.x {@code mask_target} computes them: the assigned GT
 * bitmap RoIAligned (scale 1, sampling 0, aligned) onto the positive proposal at {@code size x
 * size}, then binarised at 0.5.
 */
public final class MaskTargets {

  private MaskTargets() {}

  /**
   * @param bitmap the GT mask, row-major [height, width], 0 or 1
   * @param box the proposal (x1, y1, x2, y2) in the same pixels
   * @return [size, size] row-major, 0 or 1
   */
  public static float[] target(float[] bitmap, int height, int width, float[] box, int size) {
    RoiAlignWeights ay = RoiAlignWeights.of(box[1], box[3], 1f, size, 0, height);
    RoiAlignWeights ax = RoiAlignWeights.of(box[0], box[2], 1f, size, 0, width);
    float[] out = RoiAlignWeights.applyToPlane(ay, ax, bitmap, width);
    for (int i = 0; i < out.length; i++) {
      out[i] = out[i] >= 0.5f ? 1f : 0f;
    }
    return out;
  }
}
