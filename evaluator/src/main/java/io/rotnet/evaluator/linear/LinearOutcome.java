package io.rotnet.evaluator.linear;

import io.rotnet.evaluator.benchmark.ProbeResult;
import java.util.List;

/**
 * What a streamed linear evaluation measured.
 *
 * @param heads top-1 / top-5 on the test split and mean training loss per epoch, per head
 * @param unreadableTrain training images skipped because they could not be read
 * @param unreadableTest test images skipped because they could not be read
 * @param resumedAt the (epoch, batch) the run resumed from, or null for a fresh start
 * @param trainImagesPerSecond training images through augmentation, backbone and heads per second
 */
public record LinearOutcome(
    List<ProbeResult> heads, int unreadableTrain, int unreadableTest, int[] resumedAt, double trainImagesPerSecond) {

  public LinearOutcome {
    heads = List.copyOf(heads);
  }
}
