package io.rotnet.trainer.precision;

/**
 * Dynamic loss scaling for float16 training. The loss is multiplied by {@link #scale()} before
 * the backward pass, so that small gradients do not underflow float16; the float32 gradients are
 * divided by it again before the update. A step whose gradients overflowed (inf or NaN anywhere)
 * is skipped and the scale halved; after {@link LossScaling#growthInterval()} clean steps in a row
 * the scale doubles, so it settles just below the overflow point.
 *
 * <p>Its state is part of a checkpoint, so a resumed run scales and skips exactly as an
 * uninterrupted one.
 */
public final class LossScaler {

  private static final float GROWTH = 2f;
  private static final float BACKOFF = 0.5f;

  private final int growthInterval;
  private float scale;
  private int cleanSteps;
  private long skippedSteps;

  public LossScaler(LossScaling settings) {
    this.growthInterval = settings.growthInterval();
    this.scale = settings.initialScale();
  }

  /** The factor the next step's loss is multiplied by. */
  public float scale() {
    return scale;
  }

  /** Steps skipped so far because their gradients were not finite. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /**
   * Records whether this step's scaled gradients were all finite and returns whether its update
   * may be applied. A skipped step halves the scale; the growth interval's clean step in a row
   * doubles it.
   *
   * @throws IllegalStateException when the scale would fall below the minimum: the gradients are
   *     not finite whatever the scale, so training has diverged
   */
  public boolean update(boolean gradientsFinite) {
    if (!gradientsFinite) {
      float lowered = scale * BACKOFF;
      if (lowered < LossScaling.MIN_SCALE) {
        throw new IllegalStateException(
            "training diverged: gradients are not finite even at loss scale " + scale);
      }
      scale = lowered;
      cleanSteps = 0;
      skippedSteps++;
      return false;
    }
    cleanSteps++;
    if (cleanSteps >= growthInterval) {
      float raised = scale * GROWTH;
      if (Float.isFinite(raised)) {
        scale = raised;
      }
      cleanSteps = 0;
    }
    return true;
  }

  /** A copy of the scaler's state, for a checkpoint. */
  public State state() {
    return new State(scale, cleanSteps, skippedSteps);
  }

  /** Continues from a checkpoint's state. */
  public void restore(State state) {
    scale = state.scale();
    cleanSteps = state.cleanSteps();
    skippedSteps = state.skippedSteps();
  }

  /**
   * What a checkpoint keeps of a {@link LossScaler}.
   *
   * @param scale the current loss scale
   * @param cleanSteps finite steps in a row since the scale last changed
   * @param skippedSteps steps skipped so far in the run
   */
  public record State(float scale, int cleanSteps, long skippedSteps) {
    public State {
      if (!(scale > 0) || Float.isInfinite(scale) || cleanSteps < 0 || skippedSteps < 0) {
        throw new IllegalArgumentException(
            "invalid loss scaler state: scale "
                + scale
                + ", clean steps "
                + cleanSteps
                + ", skipped steps "
                + skippedSteps);
      }
    }
  }
}
