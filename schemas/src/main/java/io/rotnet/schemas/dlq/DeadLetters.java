package io.rotnet.schemas.dlq;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds {@link DeadLetter} records and the producer that writes them. */
public final class DeadLetters {

  /** At most this many bytes of the refused input are kept in a dead letter. */
  public static final int EXCERPT_BYTES = 256;

  private DeadLetters() {}

  /**
   * A dead letter for input that was refused.
   *
   * @param origin topic (or file) the input came from
   * @param partition partition of a Kafka record, or null
   * @param offset offset of a Kafka record, or null
   * @param key record key, or null
   * @param reason why it was refused, e.g. {@code unknown-schema-id: ...}
   * @param bytes the refused input, or null; only the first {@value #EXCERPT_BYTES} bytes are kept
   * @param service who refused it (producer, trainer, evaluator-svm, ...)
   */
  public static DeadLetter of(
      String origin,
      Integer partition,
      Long offset,
      String key,
      String reason,
      byte[] bytes,
      String service) {
    return of(origin, partition, offset, key, reason, bytes, service, Instant.now());
  }

  /** As {@link #of(String, Integer, Long, String, String, byte[], String)}, at a given time. */
  public static DeadLetter of(
      String origin,
      Integer partition,
      Long offset,
      String key,
      String reason,
      byte[] bytes,
      String service,
      Instant failedAt) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(service, "service");
    byte[] excerpt =
        bytes == null ? new byte[0] : Arrays.copyOf(bytes, Math.min(bytes.length, EXCERPT_BYTES));
    return DeadLetter.newBuilder()
        .setOrigin(origin)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(key)
        .setReason(reason)
        .setExcerpt(ByteBuffer.wrap(excerpt))
        .setService(service)
        .setFailedAt(failedAt)
        .build();
  }

  /** A dead letter for a Kafka record that was refused. */
  public static DeadLetter of(
      ConsumerRecord<String, byte[]> record, String reason, String service, Clock clock) {
    return of(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        reason,
        record.value(),
        service,
        clock.instant());
  }

  /** The dead-letter topic of a topic: {@code <topic>.dlq}. */
  public static String topicFor(String topic) {
    return Topics.deadLetterTopic(topic);
  }

  /**
   * A producer of dead letters (String keys, Avro values through the registry), idempotent and
   * acknowledged by all replicas, since a dead letter is the only copy of what went wrong.
   *
   * @param producerConfig at least {@code bootstrap.servers}; serializer settings are ignored
   */
  public static KafkaProducer<String, DeadLetter> newProducer(
      Map<String, Object> producerConfig, SchemaRegistryClient registry) {
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "rotnet-dead-letters");
    return new KafkaProducer<>(
        config, new StringSerializer(), new AvroSerializer<DeadLetter>(registry));
  }
}
