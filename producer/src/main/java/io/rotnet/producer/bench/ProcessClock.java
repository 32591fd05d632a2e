package io.rotnet.producer.bench;

import java.lang.management.ManagementFactory;

/** Wall-clock and whole-process CPU time, read together. */
final class ProcessClock {

  private final com.sun.management.OperatingSystemMXBean os;

  ProcessClock() {
    this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  }

  /** A start mark. */
  long[] mark() {
    return new long[] {System.nanoTime(), os.getProcessCpuTime()};
  }

  Measurement since(long[] start, String name, int workers, long images) {
    long wall = System.nanoTime() - start[0];
    long cpu = os.getProcessCpuTime() - start[1];
    return new Measurement(name, workers, images, wall / 1e9, cpu / 1e9);
  }
}
