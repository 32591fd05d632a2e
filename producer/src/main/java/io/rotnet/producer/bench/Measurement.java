package io.rotnet.producer.bench;

/**
 * One timed phase: how many images it handled, in how much wall-clock time, how much CPU time
 * the whole process used (every thread: the embedded broker, GC and JIT included) and how much
 * the threads doing the measured work used (decode threads; or decode workers, the sending
 * thread and the Kafka client's I/O thread).
 */
public record Measurement(
    String name, int workers, long images, double wallSeconds, double processCpuSeconds, double ownCpuSeconds) {

  public double imagesPerSecond() {
    return wallSeconds <= 0 ? 0 : images / wallSeconds;
  }

  /** Images per CPU-second of the working threads: throughput per core of the producer itself. */
  public double imagesPerOwnCpuSecond() {
    return ownCpuSeconds <= 0 ? 0 : images / ownCpuSeconds;
  }

  /** Images per CPU-second of the whole process, embedded broker included. */
  public double imagesPerProcessCpuSecond() {
    return processCpuSeconds <= 0 ? 0 : images / processCpuSeconds;
  }

  Measurement plus(Measurement other) {
    return new Measurement(
        name,
        workers,
        images + other.images,
        wallSeconds + other.wallSeconds,
        processCpuSeconds + other.processCpuSeconds,
        ownCpuSeconds + other.ownCpuSeconds);
  }
}
