package io.rotnet.trainer;

/**
 * Called on the training thread after every step. An exception thrown here ends the run at once,
 * without a final checkpoint, as a crash would.
 */
@FunctionalInterface
public interface StepObserver {
  void onStep(StepReport report);
}
