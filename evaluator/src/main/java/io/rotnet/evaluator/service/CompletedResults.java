package io.rotnet.evaluator.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The result keys already published, read from the results topic itself (committed records
 * only), so that a checkpoint event seen again (re-announced, replayed after a crash, handled by
 * another instance before a rebalance) yields no second result. {@link #refresh} reads whatever
 * was appended since the last call, up to the topic's current end; values are not decoded.
 */
final class CompletedResults implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Duration timeout;
  private final Set<String> keys = new HashSet<>();
  private final Set<TopicPartition> assigned = new HashSet<>();

  CompletedResults(Map<String, Object> clientConfig, String topic, Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.timeout = timeout;
  }

  /** Reads the results topic up to its end as of now. */
  void refresh() throws TimeoutException {
    List<TopicPartition> partitions = new ArrayList<>();
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos != null) {
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    if (!assigned.containsAll(partitions) || assigned.size() != partitions.size()) {
      assigned.clear();
      assigned.addAll(partitions);
      consumer.assign(partitions);
    }
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(end)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("reading " + topic + " up to " + end + " took longer than " + timeout);
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (record.key() != null) {
          keys.add(record.key());
        }
      }
    }
  }

  private boolean caughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), timeout) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  boolean contains(String key) {
    return keys.contains(key);
  }

  /** Records a key this instance has just published. */
  void add(String key) {
    keys.add(key);
  }

  int size() {
    return keys.size();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
