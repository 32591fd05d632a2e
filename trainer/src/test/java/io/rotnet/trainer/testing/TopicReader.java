package io.rotnet.trainer.testing;

import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topic;
import io.rotnet.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning until enough matching records have arrived. */
public final class TopicReader {

  private TopicReader() {}

  public static <V extends SpecificRecord> List<V> read(
      EmbeddedStack stack, Topic<V> topic, Predicate<V> filter, int atLeast) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-reader-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<V> matching = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            config,
            new StringDeserializer(),
            AvroSerdes.deserializer(topic, stack.newRegistryClient()))) {
      consumer.subscribe(List.of(topic.name()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (filter.test(record.value())) {
                            matching.add(record.value());
                          }
                        });
                return matching.size() >= atLeast;
              });
    }
    return matching;
  }
}
