package io.rotnet.producer;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a producer run, safe to read from any thread (progress line, tests). */
public final class ProducerStats {

  private final AtomicLong imagesSent = new AtomicLong();
  private final AtomicLong recordsSent = new AtomicLong();
  private final AtomicLong recordsAcked = new AtomicLong();
  private final AtomicLong recordsFailed = new AtomicLong();
  private final AtomicLong pixelBytesSent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong indexInEpoch = new AtomicLong();
  private final long datasetSize;
  private final long startedNanos = System.nanoTime();

  public ProducerStats(long datasetSize) {
    this.datasetSize = datasetSize;
  }

  void imageSent(int records, long pixelBytes) {
    imagesSent.incrementAndGet();
    recordsSent.addAndGet(records);
    pixelBytesSent.addAndGet(pixelBytes);
  }

  void recordAcked() {
    recordsAcked.incrementAndGet();
  }

  void recordFailed() {
    recordsFailed.incrementAndGet();
  }

  void refused() {
    refused.incrementAndGet();
  }

  void position(int currentEpoch, long index) {
    epoch.set(currentEpoch);
    indexInEpoch.set(index);
  }

  /** A consistent-enough copy of the counters for display. */
  public Snapshot snapshot() {
    return new Snapshot(
        imagesSent.get(),
        recordsSent.get(),
        recordsAcked.get(),
        recordsFailed.get(),
        pixelBytesSent.get(),
        refused.get(),
        (int) epoch.get(),
        indexInEpoch.get(),
        datasetSize,
        (System.nanoTime() - startedNanos) / 1e9);
  }

  /**
   * The counters at one moment.
   *
   * @param imagesSent source images whose four views were handed to Kafka
   * @param recordsAcked records the broker confirmed (acks=all)
   * @param refused images sent to the dead-letter topic
   * @param elapsedSeconds time since the run started
   */
  public record Snapshot(
      long imagesSent,
      long recordsSent,
      long recordsAcked,
      long recordsFailed,
      long pixelBytesSent,
      long refused,
      int epoch,
      long indexInEpoch,
      long datasetSize,
      double elapsedSeconds) {

    /** Source images per second since the start. */
    public double imagesPerSecond() {
      return elapsedSeconds <= 0 ? 0 : imagesSent / elapsedSeconds;
    }
  }
}
