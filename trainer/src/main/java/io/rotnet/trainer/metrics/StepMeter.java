package io.rotnet.trainer.metrics;

/**
 * Averages loss and accuracy over the steps since the last report and measures throughput over the
 * same window (wall time between reports, so waiting for input counts against it).
 */
public final class StepMeter {

  /** One window's averages. */
  public record Window(double loss, double accuracy, double imagesPerSecond, long steps) {}

  private double lossSum;
  private long correct;
  private long images;
  private long steps;
  private long windowStart;

  /** Starts the first window at {@code nanoTime}. */
  public StepMeter(long nanoTime) {
    windowStart = nanoTime;
  }

  public void add(double loss, long correctImages, int batchImages) {
    lossSum += loss;
    correct += correctImages;
    images += batchImages;
    steps++;
  }

  public long steps() {
    return steps;
  }

  /** Closes the window at {@code nanoTime}, returns its averages and opens the next one. */
  public Window roll(long nanoTime) {
    double seconds = Math.max(1e-9, (nanoTime - windowStart) / 1e9);
    Window window =
        new Window(
            steps == 0 ? Double.NaN : lossSum / steps,
            images == 0 ? Double.NaN : (double) correct / images,
            images / seconds,
            steps);
    lossSum = 0;
    correct = 0;
    images = 0;
    steps = 0;
    windowStart = nanoTime;
    return window;
  }
}
