package io.rotnet.evaluator.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kafka client settings and polling steps the evaluator services share. */
final class ServiceClients {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceClients.class);

  private ServiceClients() {}

  /** A group member that commits only through transactions and reads committed records. */
  static Map<String, Object> consumerConfig(Map<String, Object> common, String groupId, String clientId) {
    Map<String, Object> config = new HashMap<>(common);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    return config;
  }

  /** An idempotent transactional producer. */
  static Map<String, Object> transactionalProducerConfig(Map<String, Object> common, String clientId,
      String transactionalId) {
    Map<String, Object> config = new HashMap<>(common);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  /**
   * A poll that only heartbeats and rebalances while every partition is paused; a partition
   * assigned without the pause would deliver here, so it is rewound and nothing is skipped.
   */
  static void keepMembership(KafkaConsumer<String, byte[]> consumer, AtomicBoolean running) {
    try {
      Map<TopicPartition, Long> first = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
        first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
      }
      first.forEach(consumer::seek);
      consumer.pause(consumer.assignment());
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    }
  }

  /**
   * A service's {@code close()}: ends its poll loop and waits (up to 30 s) for {@code run()} to
   * release the clients; a service never started releases them here.
   */
  static void stop(AtomicBoolean running, AtomicBoolean started, CountDownLatch stopped,
      KafkaConsumer<String, byte[]> consumer, Runnable release, String name) {
    running.set(false);
    if (!started.get()) {
      release.run();
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("evaluator {} did not stop within 30 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the worker and closes the clients, whatever fails on the way. */
  static void release(ExecutorService worker, AutoCloseable... clients) {
    worker.shutdownNow();
    closeQuietly(clients);
  }

  static void closeQuietly(AutoCloseable... closeables) {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
