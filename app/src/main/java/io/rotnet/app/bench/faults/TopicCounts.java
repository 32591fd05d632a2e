package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a topic holds now, without a consumer group: its records or just their number. */
final class TopicCounts {

  private TopicCounts() {}

  /** Records in {@code topic} (the sum of its partitions' end offsets); 0 when it does not exist. */
  static long size(EmbeddedStack stack, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            config(stack), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every record of {@code topic} from the beginning to its end offsets now. */
  static <V extends SpecificRecord> List<V> readAll(EmbeddedStack stack, Topic<V> topic) {
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            config(stack),
            new StringDeserializer(),
            AvroSerdes.deserializer(topic, stack.newRegistryClient()))) {
      List<TopicPartition> partitions = partitions(consumer, topic.name());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic.name() + " to its end");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }

  /** Every checkpoint event of {@code runId} on {@code rotnet.checkpoints} now. */
  static List<CheckpointEvent> checkpointEvents(EmbeddedStack stack, String runId) {
    return readAll(stack, Topics.CHECKPOINTS).stream().filter(e -> e.getRunId().equals(runId)).toList();
  }

  private static Map<String, Object> config(EmbeddedStack stack) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    var infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
    return infos == null
        ? List.of()
        : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }
}
