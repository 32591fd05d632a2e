package io.rotnet.trainer;

/**
 * What one optimizer step measured.
 *
 * @param loss mean softmax cross-entropy over the batch
 * @param correct rotated images whose rotation was predicted right
 * @param images rotated images in the batch
 * @param learningRate the rate the step used
 * @param skipped whether the update was left out because the loss-scaled gradients overflowed
 *     (fp16 only); loss and accuracy are still those of the batch
 */
public record StepResult(
    double loss, long correct, int images, double learningRate, boolean skipped) {

  public double accuracy() {
    return images == 0 ? 0 : (double) correct / images;
  }
}
