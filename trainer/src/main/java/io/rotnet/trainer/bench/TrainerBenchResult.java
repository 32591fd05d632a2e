package io.rotnet.trainer.bench;

import java.util.Locale;

/**
 * Figures of one {@code rotnet bench trainer} run.
 *
 * @param preset preset of the Kafka-versus-memory comparison
 * @param batchSize rotated images per step in that comparison
 * @param inputSize crop side in that comparison
 * @param encoding pixel encoding of the records
 * @param steps timed steps per feed (per round)
 * @param rounds rounds, each timing memory then Kafka
 * @param memoryImagesPerSecond training img/s fed from in-memory batches
 * @param kafkaImagesPerSecond training img/s fed from the topic through the prefetcher
 * @param inputOnlyImagesPerSecond img/s the prefetcher delivers when nothing trains
 * @param resnet50ImagesPerSecond ResNet-50 training img/s at {@code resnet50InputSize}, or NaN
 * @param resnet50InputSize crop side of the ResNet-50 figure
 * @param resnet50BatchSize batch of the ResNet-50 figure
 * @param device where training ran
 * @param processors available processors
 */
public record TrainerBenchResult(
    String preset,
    int batchSize,
    int inputSize,
    String encoding,
    int steps,
    int rounds,
    double memoryImagesPerSecond,
    double kafkaImagesPerSecond,
    double inputOnlyImagesPerSecond,
    double resnet50ImagesPerSecond,
    int resnet50InputSize,
    int resnet50BatchSize,
    String device,
    int processors) {

  /** Kafka-fed over memory-fed training throughput (goal: at least 0.95). */
  public double kafkaOverMemory() {
    return kafkaImagesPerSecond / memoryImagesPerSecond;
  }

  public String report() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "device %s, %d available processors%n", device, processors));
    out.append(String.format(Locale.ROOT,
        "P2 feed: preset %s, batch %d x %d px, %s records, %d round(s) of %d timed steps per feed%n",
        preset, batchSize, inputSize, encoding, rounds, steps));
    out.append(String.format(Locale.ROOT, "  %-44s %10.1f img/s%n", "training fed from in-memory batches", memoryImagesPerSecond));
    out.append(String.format(Locale.ROOT, "  %-44s %10.1f img/s%n", "training fed from Kafka (prefetcher)", kafkaImagesPerSecond));
    out.append(String.format(Locale.ROOT, "  %-44s %10.3f (goal >= 0.95)%n", "ratio Kafka / memory", kafkaOverMemory()));
    out.append(String.format(Locale.ROOT, "  %-44s %10.1f img/s%n", "input only (prefetcher, no training)", inputOnlyImagesPerSecond));
    if (!Double.isNaN(resnet50ImagesPerSecond)) {
      out.append(String.format(Locale.ROOT, "ResNet-50 training, %d px, batch %d, in-memory: %.1f img/s (goal >= 20)%n",
          resnet50InputSize, resnet50BatchSize, resnet50ImagesPerSecond));
    }
    return out.toString();
  }
}
