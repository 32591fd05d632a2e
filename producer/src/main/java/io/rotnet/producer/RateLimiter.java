package io.rotnet.producer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Paces calls to at most {@code perSecond} per second on average (no bursts beyond one). Waits
 * on the stop signal so that stopping the producer wakes a waiting caller at once.
 */
final class RateLimiter {

  private final long intervalNanos;
  private final CountDownLatch stopSignal;
  private long nextNanos;

  /** {@code perSecond <= 0} means unlimited. */
  RateLimiter(double perSecond, CountDownLatch stopSignal) {
    this.intervalNanos = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
    this.stopSignal = stopSignal;
    this.nextNanos = System.nanoTime();
  }

  /**
   * Waits for the next permit.
   *
   * @return false when the stop signal came first
   */
  boolean acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return stopSignal.getCount() > 0;
    }
    long wait = nextNanos - System.nanoTime();
    if (wait > 0 && stopSignal.await(wait, TimeUnit.NANOSECONDS)) {
      return false;
    }
    // After a stall, start afresh instead of bursting to catch up.
    nextNanos = Math.max(nextNanos, System.nanoTime() - intervalNanos) + intervalNanos;
    return stopSignal.getCount() > 0;
  }
}
