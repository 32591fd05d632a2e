package io.rotnet.devstack;

import static io.rotnet.devstack.KafkaTestClients.consume;
import static io.rotnet.devstack.KafkaTestClients.consumer;
import static io.rotnet.devstack.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroDeserializer;
import io.rotnet.schemas.serde.AvroSerdeConfig;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
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
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class SerdeRoundTripTest {

  @Test
  void everyRecordTypeSurvivesTheBroker(EmbeddedStack stack) throws Exception {
    SchemaRegistryClient registry = stack.newRegistryClient();
    assertRoundTrip(stack, registry, Topics.IMAGES, Samples.image(7));
    assertRoundTrip(stack, registry, Topics.CHECKPOINTS, Samples.checkpoint());
    assertRoundTrip(stack, registry, Topics.EVAL_RESULTS, Samples.evalResult());
    assertRoundTrip(stack, registry, Topics.METRICS, Samples.metrics());
    assertRoundTrip(stack, registry, Topics.IMAGES_DLQ, Samples.deadLetter());

    assertThat(registry.subjects())
        .contains(
            "rotnet.images-value",
            "rotnet.checkpoints-value",
            "rotnet.eval-results-value",
            "rotnet.metrics-value",
            "rotnet.images.dlq-value");
  }

  private static <V extends SpecificRecord> void assertRoundTrip(
      EmbeddedStack stack, SchemaRegistryClient registry, Topic<V> topic, V value)
      throws ExecutionException, InterruptedException {
    stack.createTopic(topic.name(), 1);
    try (KafkaProducer<String, V> producer =
            producer(stack, AvroSerdes.serializer(topic, registry));
        KafkaConsumer<String, V> consumer =
            consumer(stack, AvroSerdes.deserializer(topic, registry))) {
      producer.send(new ProducerRecord<>(topic.name(), "key", value)).get();
      List<ConsumerRecord<String, V>> records = consume(consumer, topic.name(), 1);
      assertThat(records.get(0).value()).isInstanceOf(topic.valueType()).isEqualTo(value);
      assertThat(records.get(0).key()).isEqualTo("key");
    }
  }

  @Test
  void kafkaCanCreateTheSerdeFromPropertiesAlone(EmbeddedStack stack) throws Exception {
    String topic = "by-class-name.metrics";
    stack.createTopic(topic, 1);
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName(),
            AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "by-class-name-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName(),
            AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
            AvroSerdeConfig.VALUE_TYPE, TrainingMetrics.class.getName());
    TrainingMetrics metrics = Samples.metrics();
    try (KafkaProducer<String, TrainingMetrics> producer = new KafkaProducer<>(producerConfig);
        KafkaConsumer<String, TrainingMetrics> consumer = new KafkaConsumer<>(consumerConfig)) {
      producer.send(new ProducerRecord<>(topic, "run-1", metrics)).get();
      assertThat(consume(consumer, topic, 1).get(0).value()).isEqualTo(metrics);
    }
    assertThat(stack.newRegistryClient().latest(Topics.valueSubject(topic)).schema())
        .isEqualTo(TrainingMetrics.getClassSchema());
  }

  @Test
  void hotPathMakesNoRegistryCallsOnceSchemasAreKnown(EmbeddedStack stack) throws Exception {
    String topic = "caching.images";
    stack.createTopic(topic, 1);
    // A fresh client: nothing cached yet.
    SchemaRegistryClient registry = stack.newRegistryClient();
    long before = stack.registry().requestCount();
    int count = 50;
    try (KafkaProducer<String, RotatedImage> producer =
            producer(stack, AvroSerdes.serializer(Topics.IMAGES, registry));
        KafkaConsumer<String, RotatedImage> consumer =
            consumer(stack, AvroSerdes.deserializer(Topics.IMAGES, registry))) {
      List<RotatedImage> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        RotatedImage image = Samples.image(i);
        sent.add(image);
        producer.send(new ProducerRecord<>(topic, image.getSampleId(), image));
      }
      producer.flush();
      List<RotatedImage> received =
          consume(consumer, topic, count).stream().map(ConsumerRecord::value).toList();
      assertThat(received).containsExactlyElementsOf(sent);
    }
    // One registration by the serializer; the deserializer's schema came with it (same client).
    assertThat(stack.registry().requestCount() - before).isEqualTo(1);

    // A separate reader client needs exactly one lookup by id, however many records it reads.
    SchemaRegistryClient readerClient = stack.newRegistryClient();
    long beforeReading = stack.registry().requestCount();
    try (KafkaConsumer<String, RotatedImage> consumer =
        consumer(stack, AvroSerdes.deserializer(Topics.IMAGES, readerClient))) {
      assertThat(consume(consumer, topic, count)).hasSize(count);
    }
    assertThat(stack.registry().requestCount() - beforeReading).isEqualTo(1);
  }
}
