package io.rotnet.trainer.bench;

import java.util.List;
import java.util.Locale;

/**
 * Figures of one {@code rotnet bench trainer --compare-precisions} run.
 *
 * @param device where training ran
 * @param processors available processors
 * @param comparisons the small preset first, then ResNet-50 if run
 */
public record PrecisionBenchResult(
    String device, int processors, List<PrecisionComparison> comparisons) {

  public PrecisionBenchResult {
    comparisons = List.copyOf(comparisons);
  }

  public String report() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Precision benchmark: device %s, %d available processors, in-memory batches%n",
            device,
            processors));
    for (PrecisionComparison comparison : comparisons) {
      out.append(comparison.report());
    }
    return out.toString();
  }
}
