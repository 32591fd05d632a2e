package io.rotnet.model.bench;

/**
 * One side-by-side measurement.
 *
 * @param size input side in pixels
 * @param task what was timed (train: forward + backward + SGD step; features: inference-mode
 *     forward without gradients)
 * @param oursImagesPerSecond this project's ResNet
 * @param djlImagesPerSecond DJL's ResNetV1 on the same batches, steps interleaved
 */
public record ModelBenchResult(
    int size, String task, double oursImagesPerSecond, double djlImagesPerSecond) {

  /** ours / DJL: above 1 means ours is faster. */
  public double ratio() {
    return oursImagesPerSecond / djlImagesPerSecond;
  }
}
