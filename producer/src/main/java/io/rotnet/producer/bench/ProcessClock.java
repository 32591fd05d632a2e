package io.rotnet.producer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Wall-clock, whole-process CPU time and per-thread CPU time. */
final class ProcessClock {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  /** Start of a phase. */
  record Mark(long wallNanos, long processCpuNanos) {}

  Mark mark() {
    return new Mark(System.nanoTime(), os.getProcessCpuTime());
  }

  Measurement since(Mark start, String name, int workers, long images, long ownCpuNanos) {
    long wall = System.nanoTime() - start.wallNanos();
    long cpu = os.getProcessCpuTime() - start.processCpuNanos();
    return new Measurement(name, workers, images, wall / 1e9, cpu / 1e9, ownCpuNanos / 1e9);
  }

  long currentThreadCpu() {
    return threads.getCurrentThreadCpuTime();
  }

  /** CPU time so far of the live threads whose name starts with {@code prefix}. */
  long cpuOfThreadsNamed(String prefix) {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith(prefix)) {
        total += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return total;
  }

  /** Threads that add their CPU time to a counter when they end. */
  static final class CountingThreads implements ThreadFactory {
    private final String name;
    private final LongAdder cpuNanos = new LongAdder();
    private final List<Thread> created = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    CountingThreads(String name) {
      this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  task.run();
                } finally {
                  cpuNanos.add(threads.getCurrentThreadCpuTime());
                }
              },
              name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      created.add(thread);
      return thread;
    }

    /** Waits for every thread made so far to end and returns their CPU time in total. */
    long awaitCpuNanos() throws InterruptedException {
      for (Thread thread : created) {
        thread.join();
      }
      return cpuNanos.sum();
    }
  }
}
