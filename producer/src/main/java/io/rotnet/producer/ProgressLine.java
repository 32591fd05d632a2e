package io.rotnet.producer;

import java.util.Locale;

/**
 * Formats progress for people: a bar redrawn in place on a terminal, or a plain line for logs.
 * The rate is measured between consecutive calls, so it follows the current speed.
 */
public final class ProgressLine {

  private static final int BAR_WIDTH = 24;

  private final int epochs;
  private ProducerStats.Snapshot previous;

  /** {@code epochs == 0} for a run without an epoch limit. */
  public ProgressLine(int epochs) {
    this.epochs = epochs;
  }

  /** A bar for a terminal, without the leading carriage return. */
  public String bar(ProducerStats.Snapshot now) {
    double fraction = now.datasetSize() == 0 ? 0 : (double) (now.indexInEpoch() + 1) / now.datasetSize();
    int filled = (int) Math.round(Math.min(1, fraction) * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "[%s%s] epoch %s %d/%d  %.1f img/s  %d sent  %d refused",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        epochLabel(now),
        Math.min(now.indexInEpoch() + 1, now.datasetSize()),
        now.datasetSize(),
        rate(now),
        now.imagesSent(),
        now.refused());
  }

  /** One self-contained line for logs. */
  public String logLine(ProducerStats.Snapshot now) {
    return String.format(
        Locale.ROOT,
        "epoch %s, image %d/%d: %d images sent (%d records acknowledged), %d refused, %.1f img/s",
        epochLabel(now),
        Math.min(now.indexInEpoch() + 1, now.datasetSize()),
        now.datasetSize(),
        now.imagesSent(),
        now.recordsAcked(),
        now.refused(),
        rate(now));
  }

  private String epochLabel(ProducerStats.Snapshot now) {
    return epochs == 0 ? Integer.toString(now.epoch() + 1) : (now.epoch() + 1) + "/" + epochs;
  }

  private double rate(ProducerStats.Snapshot now) {
    ProducerStats.Snapshot before = previous;
    previous = now;
    if (before == null) {
      return now.imagesPerSecond();
    }
    double seconds = now.elapsedSeconds() - before.elapsedSeconds();
    return seconds <= 0 ? 0 : (now.imagesSent() - before.imagesSent()) / seconds;
  }
}
