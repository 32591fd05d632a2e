package io.rotnet.model.bench;

/**
 * One side-by-side measurement; throughputs are medians over the timed steps.
 *
 * @param size input side in pixels
 * @param task what was timed (train: forward + backward + SGD step; features: inference-mode
 *     forward without gradients)
 * @param oursImagesPerSecond this project's ResNet
 * @param djlImagesPerSecond DJL's ResNetV1 on the same batches, steps interleaved
 * @param ratio median over step pairs of ours / DJL throughput (above 1: ours is faster)
 * @param steps timed steps per model
 */
public record ModelBenchResult(
    int size,
    String task,
    double oursImagesPerSecond,
    double djlImagesPerSecond,
    double ratio,
    int steps) {}
