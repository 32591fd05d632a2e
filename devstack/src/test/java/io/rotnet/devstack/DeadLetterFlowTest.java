package io.rotnet.devstack;

import static io.rotnet.devstack.KafkaTestClients.consume;
import static io.rotnet.devstack.KafkaTestClients.consumer;
import static io.rotnet.devstack.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.dlq.DeadLetterException;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroDecodingException;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.DecodeFailure;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad records land in {@code <topic>.dlq} with a reason while good ones keep flowing. */
@ExtendWith(EmbeddedStackExtension.class)
class DeadLetterFlowTest {

  @Test
  void undecodableRecordsAreParkedWithTheirReasonAndGoodOnesFlow(EmbeddedStack stack)
      throws Exception {
    Topic<RotatedImage> topic = Topics.IMAGES.named("dlq-flow.images");
    stack.createTopic(topic, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    AvroSerializer<RotatedImage> images = AvroSerdes.serializer(topic, registry);

    byte[] good = images.serialize(topic.name(), Samples.image(0));
    byte[] unknownId = good.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 987_654);
    byte[] truncated = Arrays.copyOf(good, good.length - 40);
    byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
    byte[] wrongType =
        AvroSerdes.serializer(Topics.IMAGES_DLQ, registry)
            .serialize(topic.name() + ".other", Samples.deadLetter());

    // key -> value, in the order they are produced; "good-*" must all come through.
    Map<String, byte[]> sent = new LinkedHashMap<>();
    sent.put("good-1", images.serialize(topic.name(), Samples.image(1)));
    sent.put("garbage", garbage);
    sent.put("good-2", images.serialize(topic.name(), Samples.image(2)));
    sent.put("unknown-id", unknownId);
    sent.put("good-3", images.serialize(topic.name(), Samples.image(3)));
    sent.put("truncated", truncated);
    sent.put("good-4", images.serialize(topic.name(), Samples.image(4)));
    sent.put("wrong-type", wrongType);
    sent.put("good-5", images.serialize(topic.name(), Samples.image(5)));
    try (KafkaProducer<String, byte[]> raw = producer(stack, new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> entry : sent.entrySet()) {
        raw.send(new ProducerRecord<>(topic.name(), entry.getKey(), entry.getValue()));
      }
      raw.flush();
    }

    List<RotatedImage> decoded = new ArrayList<>();
    DeadLetterRouter<RotatedImage> router;
    try (KafkaProducer<String, DeadLetter> deadLetters =
            DeadLetters.newProducer(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                registry);
        KafkaConsumer<String, byte[]> consumer = consumer(stack, new ByteArrayDeserializer())) {
      router =
          DeadLetterRouter.builder(topic, registry)
              .setProducer(deadLetters)
              .setService("trainer")
              .optLogEvery(2)
              .build();
      for (ConsumerRecord<String, byte[]> record : consume(consumer, topic.name(), sent.size())) {
        router.decode(record).ifPresent(decoded::add);
      }
    }

    assertThat(decoded)
        .extracting(RotatedImage::getSampleId)
        .containsExactly("clipart-1@0", "clipart-2@0", "clipart-3@0", "clipart-4@0", "clipart-5@0");
    assertThat(router.rejectedCount()).isEqualTo(4);
    assertThat(router.rejectedByReason())
        .containsOnly(
            Map.entry(DecodeFailure.NOT_CONFLUENT_FRAMING.reasonClass(), 1L),
            Map.entry(DecodeFailure.UNKNOWN_SCHEMA_ID.reasonClass(), 1L),
            Map.entry(DecodeFailure.TRUNCATED_AVRO.reasonClass(), 1L),
            Map.entry(DecodeFailure.INCOMPATIBLE_SCHEMA.reasonClass(), 1L));

    Map<String, DeadLetter> letters = new LinkedHashMap<>();
    try (KafkaConsumer<String, DeadLetter> dlq =
        consumer(stack, AvroSerdes.deserializer(Topics.IMAGES_DLQ, registry))) {
      consume(dlq, topic.deadLetterTopic(), 4).forEach(r -> letters.put(r.key(), r.value()));
    }
    assertThat(letters).containsOnlyKeys("garbage", "unknown-id", "truncated", "wrong-type");
    assertThat(letters.get("garbage").getReason())
        .startsWith("not-confluent-framing:")
        .contains("magic byte");
    assertThat(letters.get("unknown-id").getReason())
        .startsWith("unknown-schema-id:")
        .contains("987654");
    assertThat(letters.get("truncated").getReason())
        .startsWith("truncated-avro:")
        .contains("RotatedImage");
    assertThat(letters.get("wrong-type").getReason())
        .startsWith("incompatible-schema:")
        .contains("DeadLetter")
        .contains("RotatedImage");
    for (Map.Entry<String, DeadLetter> entry : letters.entrySet()) {
      DeadLetter letter = entry.getValue();
      assertThat(letter.getOrigin()).isEqualTo(topic.name());
      assertThat(letter.getPartition()).isZero();
      assertThat(letter.getService()).isEqualTo("trainer");
      byte[] original = sent.get(entry.getKey());
      byte[] expectedExcerpt = Arrays.copyOf(original, Math.min(original.length, 256));
      assertThat(toArray(letter.getExcerpt())).isEqualTo(expectedExcerpt);
    }
    assertThat(letters.get("truncated").getOffset()).isEqualTo(5L);
  }

  @Test
  void unusableRecordsAreParkedUnderTheCallersReason(EmbeddedStack stack) throws Exception {
    Topic<RotatedImage> topic = Topics.IMAGES.named("reject.images");
    stack.createTopic(topic, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    byte[] value =
        AvroSerdes.serializer(topic, registry).serialize(topic.name(), Samples.image(9));
    try (KafkaProducer<String, byte[]> raw = producer(stack, new ByteArraySerializer());
        KafkaProducer<String, DeadLetter> deadLetters =
            DeadLetters.newProducer(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                registry);
        KafkaConsumer<String, byte[]> consumer = consumer(stack, new ByteArrayDeserializer())) {
      raw.send(new ProducerRecord<>(topic.name(), "small", value)).get();
      DeadLetterRouter<RotatedImage> router =
          DeadLetterRouter.builder(topic, registry)
              .setProducer(deadLetters)
              .setService("trainer")
              .build();
      ConsumerRecord<String, byte[]> record = consume(consumer, topic.name(), 1).get(0);
      RotatedImage image = router.decode(record).orElseThrow();
      router.reject(record, "wrong-shape", "expected 32x32, got " + image.getHeight() + "x8");
      assertThat(router.rejectedByReason()).containsOnly(Map.entry("wrong-shape", 1L));
    }
    try (KafkaConsumer<String, DeadLetter> dlq =
        consumer(stack, AvroSerdes.deserializer(Topics.IMAGES_DLQ, registry))) {
      DeadLetter letter = consume(dlq, topic.deadLetterTopic(), 1).get(0).value();
      assertThat(letter.getReason()).isEqualTo("wrong-shape: expected 32x32, got 8x8");
      assertThat(letter.getKey()).isEqualTo("small");
    }
  }

  @Test
  void deferredDeadLettersAreAllAcknowledgedWhenAwaitedAndAFailureNamesItsRecord(EmbeddedStack stack)
      throws Exception {
    Topic<RotatedImage> topic = Topics.IMAGES.named("deferred.images");
    stack.createTopic(topic, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, DeadLetter> deadLetters =
        DeadLetters.newProducer(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), registry)) {
      DeadLetterRouter<RotatedImage> router =
          DeadLetterRouter.builder(topic, registry).setProducer(deadLetters).setService("trainer")
              .optDeferredAcknowledgements(true).build();
      for (int i = 0; i < 20; i++) {
        router.decode(new ConsumerRecord<>(topic.name(), 0, i, "bad-" + i, garbage));
      }
      router.awaitParked();
      assertThat(router.rejectedCount()).isEqualTo(20);
    }
    try (KafkaConsumer<String, DeadLetter> dlq =
        consumer(stack, AvroSerdes.deserializer(Topics.IMAGES_DLQ, registry))) {
      assertThat(consume(dlq, topic.deadLetterTopic(), 20)).extracting(r -> r.value().getKey().toString())
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "bad-" + i).toList());
    }

    // a dead letter that can never be acknowledged (larger than the producer may send) fails the wait, by name
    try (KafkaProducer<String, DeadLetter> deadLetters = DeadLetters.newProducer(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64), registry)) {
      DeadLetterRouter<RotatedImage> router =
          DeadLetterRouter.builder(Topics.IMAGES.named("no-dlq.images"), registry).setProducer(deadLetters)
              .setService("trainer").optDeferredAcknowledgements(true).optSendTimeout(Duration.ofSeconds(5)).build();
      router.decode(new ConsumerRecord<>("no-dlq.images", 0, 7, "k", garbage));
      assertThatThrownBy(router::awaitParked).isInstanceOf(DeadLetterException.class)
          .hasMessageContaining("no-dlq.images-0@7");
    }
  }

  @Test
  void unreachableRegistryIsRetriedNotParked(EmbeddedStack stack) {
    Topic<RotatedImage> topic = Topics.IMAGES.named("no-registry.images");
    byte[] value =
        AvroSerdes.serializer(topic, stack.newRegistryClient())
            .serialize(topic.name(), Samples.image(1));
    SchemaRegistryClient unreachable =
        SchemaRegistryClient.builder()
            .setUrl("http://127.0.0.1:1")
            .optConnectTimeout(Duration.ofSeconds(2))
            .optUnavailableRetry(Duration.ZERO)
            .build();
    try (KafkaProducer<String, DeadLetter> deadLetters =
        DeadLetters.newProducer(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
            unreachable)) {
      DeadLetterRouter<RotatedImage> router =
          DeadLetterRouter.builder(topic, unreachable)
              .setProducer(deadLetters)
              .setService("trainer")
              .build();
      ConsumerRecord<String, byte[]> record =
          new ConsumerRecord<>(topic.name(), 0, 0L, "k", value);
      assertThatThrownBy(() -> router.decode(record))
          .isInstanceOfSatisfying(
              AvroDecodingException.class,
              e -> assertThat(e.failure()).isEqualTo(DecodeFailure.REGISTRY_UNAVAILABLE))
          .hasMessageContaining("127.0.0.1:1");
      assertThat(router.rejectedCount()).isZero();
    }
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

}
