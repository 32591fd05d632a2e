package io.rotnet.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The serde against the real thing: Apache Kafka's image and Confluent's schema registry image.
 * Proves that our wire format and REST client are those of Confluent, not only of our embedded
 * registry. Skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentContractContainersTest {

  private static final Network NETWORK = Network.newNetwork();

  @Container
  private static final KafkaContainer KAFKA =
      new KafkaContainer("apache/kafka:4.1.0")
          .withNetwork(NETWORK)
          .withListener("kafka:19092");

  @Container
  private static final GenericContainer<?> REGISTRY =
      new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
          .withNetwork(NETWORK)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
          .dependsOn(KAFKA)
          .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
          .withStartupTimeout(Duration.ofMinutes(3));

  @Test
  void roundTripsThroughConfluentSchemaRegistry() {
    String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
    SchemaRegistryClient registry = new SchemaRegistryClient(url);

    assertThat(roundTrip(registry, Topics.IMAGES, Samples.image(1))).isEqualTo(Samples.image(1));
    assertThat(roundTrip(registry, Topics.CHECKPOINTS, Samples.checkpoint()))
        .isEqualTo(Samples.checkpoint());

    int id = registry.latest(Topics.IMAGES.valueSubject()).id();
    assertThat(registry.schemaById(id)).isEqualTo(RotatedImage.getClassSchema());
    assertThat(
            registry
                .testCompatibility(Topics.CHECKPOINTS.valueSubject(), CheckpointEvent.getClassSchema())
                .compatible())
        .isTrue();
  }

  private static <V extends SpecificRecord> V roundTrip(
      SchemaRegistryClient registry, Topic<V> topic, V value) {
    Map<String, Object> producerConfig =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "contract-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaProducer<String, V> producer =
            new KafkaProducer<>(
                producerConfig, new StringSerializer(), AvroSerdes.serializer(topic, registry));
        KafkaConsumer<String, V> consumer =
            new KafkaConsumer<>(
                consumerConfig,
                new StringDeserializer(),
                AvroSerdes.deserializer(topic, new SchemaRegistryClient(registry.url())))) {
      producer.send(new ProducerRecord<>(topic.name(), "key", value)).get();
      consumer.subscribe(List.of(topic.name()));
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      assertThat(records).as("records read back from %s", topic.name()).hasSize(1);
      return records.get(0).value();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
