package io.rotnet.evaluator.results;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/** The highest input offset the topology has processed per partition (shared with the caller). */
public final class StreamProgress {
  private final Map<TopicPartition, Long> processed = new HashMap<>();

  synchronized void record(String topic, int partition, long offset) {
    processed.merge(new TopicPartition(topic, partition), offset, Math::max);
    notifyAll();
  }

  /** The highest offset processed, or -1. */
  public synchronized long processed(TopicPartition partition) {
    return processed.getOrDefault(partition, -1L);
  }

  /** True when every target offset has been processed. */
  public synchronized boolean reached(Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
      if (processed(target.getKey()) < target.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Waits until the targets are reached or {@code maxWaitMillis} passed; returns whether reached. */
  synchronized boolean awaitReached(Map<TopicPartition, Long> targets, long maxWaitMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    while (!reached(targets)) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
