package io.rotnet.devstack;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producers and consumers on an embedded stack, and polling with a deadline. */
final class KafkaTestClients {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private KafkaTestClients() {}

  static <V> KafkaProducer<String, V> producer(EmbeddedStack stack, Serializer<V> values) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, 0),
        new StringSerializer(),
        values);
  }

  /** A consumer in a fresh group, reading from the beginning. */
  static <V> KafkaConsumer<String, V> consumer(EmbeddedStack stack, Deserializer<V> values) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(),
        values);
  }

  /** Subscribes and polls until {@code count} records arrived, failing with the count so far. */
  static <V> List<ConsumerRecord<String, V>> consume(
      KafkaConsumer<String, V> consumer, String topic, int count) {
    consumer.subscribe(List.of(topic));
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (records.size() < count) {
      if (System.nanoTime() - deadline > 0) {
        fail("expected %d records on %s within %s, got %d", count, topic, DEADLINE, records.size());
      }
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }
}
