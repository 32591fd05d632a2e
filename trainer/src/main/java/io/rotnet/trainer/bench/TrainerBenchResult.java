package io.rotnet.trainer.bench;

import java.util.List;
import java.util.Locale;

/**
 * Figures of one {@code rotnet bench trainer} run.
 *
 * @param encoding pixel encoding of the records
 * @param device where training ran
 * @param processors available processors
 * @param comparisons the feed comparisons: the small preset first, then ResNet-50 if run
 */
public record TrainerBenchResult(
    String encoding, String device, int processors, List<FeedComparison> comparisons) {

  public TrainerBenchResult {
    comparisons = List.copyOf(comparisons);
  }

  public String report() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "P2 feed benchmark: device %s, %d available processors, %s records%n",
            device,
            processors,
            encoding));
    for (FeedComparison comparison : comparisons) {
      out.append(comparison.report());
    }
    return out.toString();
  }
}
