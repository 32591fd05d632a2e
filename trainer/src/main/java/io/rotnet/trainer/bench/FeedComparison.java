package io.rotnet.trainer.bench;

import java.util.Locale;

/**
 * One preset trained from both feeds in alternating blocks of one run.
 *
 * @param label what was trained, e.g. {@code rotnet-tiny-cpu} or {@code resnet50 64 px}
 * @param batchSize rotated images per step
 * @param inputSize crop side
 * @param steps timed steps per feed and round
 * @param rounds rounds, each timing one block per feed
 * @param memoryImagesPerSecond training img/s fed from in-memory batches
 * @param memoryMedianStepImagesPerSecond the median in-memory step's img/s (the PyTorch anchor's
 *     statistic)
 * @param kafkaImagesPerSecond training img/s fed from the topic through the prefetcher
 * @param kafkaWaitMillis time the timed Kafka-fed steps spent waiting for their batch
 * @param inputOnlyImagesPerSecond img/s the prefetcher delivers with nothing training, or NaN
 */
public record FeedComparison(
    String label,
    int batchSize,
    int inputSize,
    int steps,
    int rounds,
    double memoryImagesPerSecond,
    double memoryMedianStepImagesPerSecond,
    double kafkaImagesPerSecond,
    double kafkaWaitMillis,
    double inputOnlyImagesPerSecond) {

  /** Kafka-fed over memory-fed training throughput (goal: at least 0.95). */
  public double kafkaOverMemory() {
    return kafkaImagesPerSecond / memoryImagesPerSecond;
  }

  String report() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%s, batch %d x %d px, %d round(s) of %d timed steps per feed%n",
            label,
            batchSize,
            inputSize,
            rounds,
            steps));
    row(out, "training fed from in-memory batches", "%10.1f img/s", memoryImagesPerSecond);
    row(out, "  median in-memory step", "%10.1f img/s", memoryMedianStepImagesPerSecond);
    row(out, "training fed from Kafka (prefetcher)", "%10.1f img/s", kafkaImagesPerSecond);
    row(out, "ratio Kafka / memory (goal >= 0.95)", "%10.3f", kafkaOverMemory());
    row(out, "time Kafka-fed steps waited for a batch", "%10.0f ms", kafkaWaitMillis);
    if (!Double.isNaN(inputOnlyImagesPerSecond)) {
      row(out, "input only (prefetcher, no training)", "%10.1f img/s", inputOnlyImagesPerSecond);
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String what, String format, double value) {
    out.append(String.format(Locale.ROOT, "  %-44s " + format + "%n", what, value));
  }
}
