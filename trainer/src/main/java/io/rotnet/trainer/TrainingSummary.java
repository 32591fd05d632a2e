package io.rotnet.trainer;

import java.util.Optional;

/**
 * How a run ended.
 *
 * @param runId the run
 * @param steps steps taken in total (resumed ones included)
 * @param imagesSeen rotated images trained on in total
 * @param epochProgress fractional epoch reached
 * @param lastCheckpoint location of the last checkpoint written or resumed from, if any
 * @param stopReason why the loop ended
 * @param recordsRefused image records refused by this process (dead-lettered)
 * @param skippedSteps fp16 steps whose update was skipped because their gradients overflowed, in
 *     total (resumed ones included); 0 in other precisions
 */
public record TrainingSummary(
    String runId,
    long steps,
    long imagesSeen,
    double epochProgress,
    Optional<String> lastCheckpoint,
    StopReason stopReason,
    long recordsRefused,
    long skippedSteps) {

  /** Why a run ended normally. */
  public enum StopReason {
    /** {@code --max-steps} reached. */
    MAX_STEPS,
    /** The preset's epochs are done. */
    EPOCHS_DONE,
    /** Asked to stop (SIGTERM): the current step was finished and checkpointed. */
    STOP_REQUESTED
  }
}
