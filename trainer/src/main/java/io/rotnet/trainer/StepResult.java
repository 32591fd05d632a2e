package io.rotnet.trainer;

/**
 * What one optimizer step measured.
 *
 * @param loss mean softmax cross-entropy over the batch
 * @param correct rotated images whose rotation was predicted right
 * @param images rotated images in the batch
 * @param learningRate the rate the step used
 */
public record StepResult(double loss, long correct, int images, double learningRate) {

  public double accuracy() {
    return images == 0 ? 0 : (double) correct / images;
  }
}
