package io.rotnet.producer.bench;

/**
 * One timed phase: how many images it handled, in how much wall-clock time and how much CPU time
 * of the whole process (every thread, the embedded broker included when there is one).
 */
public record Measurement(String name, int workers, long images, double wallSeconds, double cpuSeconds) {

  public double imagesPerSecond() {
    return wallSeconds <= 0 ? 0 : images / wallSeconds;
  }

  /** Images per CPU-second: throughput per core, independent of how many cores were busy. */
  public double imagesPerCpuSecond() {
    return cpuSeconds <= 0 ? 0 : images / cpuSeconds;
  }
}
