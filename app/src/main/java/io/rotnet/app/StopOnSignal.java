package io.rotnet.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM / Ctrl-C into a stop request for a long-running command. The JVM exits as soon as
 * its shutdown hooks return, so the hook asks the service to stop and then holds the JVM until the
 * command has closed this (flushed, checkpointed, printed its summary) or the grace period ends.
 */
final class StopOnSignal implements AutoCloseable {

  private final Thread hook;
  private final CountDownLatch finished = new CountDownLatch(1);

  private StopOnSignal(String name, Runnable stop, Duration grace) {
    this.hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown");
  }

  /** Installs the hook; close the result once the command's work and output are done. */
  static StopOnSignal install(String name, Runnable stop, Duration grace) {
    StopOnSignal signal = new StopOnSignal(name, stop, grace);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it is what stopped the command
    }
  }
}
