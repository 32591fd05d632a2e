package io.rotnet.dense.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Pixel-wise softmax cross-entropy with an ignore label, reduced as mmseg 0.x's
 * {@code CrossEntropyLoss} (default {@code avg_non_ignore=False}): {@code F.cross_entropy(...,
 * reduction='none', ignore_index=255)} gives 0 at ignored pixels, and the mean runs over every
 * pixel, ignored ones included, then times the loss weight.
 */
public final class IgnoreCrossEntropy {
  private IgnoreCrossEntropy() {}

  /**
   * @param logits {@code [N, C, H, W]}
   * @param labels {@code [N, H, W]} integer labels, {@code ignore} where not scored
   */
  public static NDArray loss(NDArray logits, NDArray labels, int ignore, float weight) {
    try (NDArray longLabels = labels.toType(DataType.INT64, false);
        NDArray valid = longLabels.neq(ignore);
        NDArray safe = longLabels.mul(valid.toType(DataType.INT64, false));
        NDArray index = safe.expandDims(1);
        NDArray logProb = logits.logSoftmax(1);
        NDArray picked = logProb.gather(index, 1).squeeze(1);
        NDArray masked = picked.mul(valid.toType(picked.getDataType(), false))) {
      return masked.mean().mul(-weight);
    }
  }
}
