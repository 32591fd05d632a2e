package io.rotnet.trainer.bench;

import io.rotnet.trainer.precision.Precision;
import java.util.List;
import java.util.Locale;

/**
 * One preset trained from in-memory batches in each precision, in alternating blocks of one run.
 *
 * @param label what was trained, e.g. {@code rotnet-tiny-cpu} or {@code resnet50}
 * @param batchSize rotated images per step
 * @param inputSize crop side
 * @param steps timed steps per precision and round
 * @param rounds rounds, each timing one block per precision
 * @param entries one per precision, fp32 first
 */
public record PrecisionComparison(
    String label, int batchSize, int inputSize, int steps, int rounds, List<Entry> entries) {

  public PrecisionComparison {
    entries = List.copyOf(entries);
  }

  /**
   * One precision's figures.
   *
   * @param precision the precision
   * @param imagesPerSecond training img/s over the timed steps; NaN when it could not run
   * @param skippedSteps timed fp16 steps whose update was skipped (gradients overflowed)
   * @param unavailable why the precision could not run, or null
   */
  public record Entry(
      Precision precision, double imagesPerSecond, long skippedSteps, String unavailable) {}

  /** img/s of {@code precision} over fp32's, NaN when either did not run. */
  public double overFp32(Precision precision) {
    return rate(precision) / rate(Precision.FP32);
  }

  private double rate(Precision precision) {
    return entries.stream()
        .filter(e -> e.precision() == precision)
        .mapToDouble(Entry::imagesPerSecond)
        .findFirst()
        .orElse(Double.NaN);
  }

  String report() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%s, batch %d x %d px, %d round(s) of %d timed steps per precision%n",
            label,
            batchSize,
            inputSize,
            rounds,
            steps));
    for (Entry entry : entries) {
      String name = entry.precision().label();
      if (entry.unavailable() != null) {
        out.append(String.format(Locale.ROOT, "  %-5s %s%n", name, entry.unavailable()));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %-5s %10.1f img/s  %6.3f x fp32  %d of %d timed steps skipped%n",
              name,
              entry.imagesPerSecond(),
              overFp32(entry.precision()),
              entry.skippedSteps(),
              (long) steps * rounds));
    }
    return out.toString();
  }
}
