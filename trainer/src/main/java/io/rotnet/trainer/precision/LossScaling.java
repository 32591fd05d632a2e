package io.rotnet.trainer.precision;

/**
 * Settings of the fp16 {@link LossScaler}.
 *
 * @param initialScale scale of a run's first step
 * @param growthInterval clean steps in a row after which the scale doubles
 */
public record LossScaling(float initialScale, int growthInterval) {

  /** Lowest scale: below 1, scaling would only push more gradients into underflow. */
  static final float MIN_SCALE = 1f;

  public LossScaling {
    if (!(initialScale >= MIN_SCALE) || Float.isInfinite(initialScale)) {
      throw new IllegalArgumentException(
          "initial loss scale must be finite and >= " + MIN_SCALE + ", got " + initialScale);
    }
    if (growthInterval < 1) {
      throw new IllegalArgumentException(
          "loss scale growth interval must be >= 1, got " + growthInterval);
    }
  }

  /** PyTorch's GradScaler settings: 2^16, doubled after 2000 clean steps. */
  public static LossScaling defaults() {
    return new LossScaling(65536f, 2000);
  }

  /** A fresh scaler at the initial scale. */
  public LossScaler newScaler() {
    return new LossScaler(this);
  }
}
