package io.rotnet.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void unlimitedGrantsAtOnceUntilStopped() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    RateLimiter unlimited = new RateLimiter(0, stop);
    for (int i = 0; i < 1_000; i++) {
      assertThat(unlimited.acquire()).isTrue();
    }
    stop.countDown();
    assertThat(unlimited.acquire()).isFalse();
  }

  @Test
  void aStopWakesAWaitingCaller() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    // one image per hour: the second permit would take an hour unless the stop wakes it
    RateLimiter slow = new RateLimiter(1.0 / 3600, stop);
    assertThat(slow.acquire()).isTrue();
    Thread stopper = new Thread(stop::countDown);
    stopper.start();
    assertThat(slow.acquire()).isFalse();
    stopper.join();
  }
}
