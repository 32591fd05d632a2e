package io.rotnet.trainer;

import java.util.List;

/**
 * One finished step, as observers see it.
 *
 * @param step steps taken, this one included
 * @param epochProgress fractional epoch reached
 * @param result loss, accuracy and learning rate of the step
 * @param sampleIds the crops trained on, in batch order
 */
public record StepReport(
    long step, double epochProgress, StepResult result, List<String> sampleIds) {
  public StepReport {
    sampleIds = List.copyOf(sampleIds);
  }
}
