package io.rotnet.devstack;

import static io.rotnet.devstack.KafkaTestClients.consume;
import static io.rotnet.devstack.KafkaTestClients.consumer;
import static io.rotnet.devstack.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.Compatibility;
import io.rotnet.schemas.serde.GenericAvroDeserializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.schemas.serde.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded registry's REST semantics, and schema evolution through the broker. */
@ExtendWith(EmbeddedStackExtension.class)
class SchemaRegistryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** RotatedImage plus one field, with or without a default. */
  private static Schema imageWithExtraField(String name, boolean withDefault) {
    String base = RotatedImage.getClassSchema().toString();
    String field =
        "{\"name\":\"" + name + "\",\"type\":\"string\""
            + (withDefault ? ",\"default\":\"none\"" : "") + "}";
    int fieldsEnd = base.lastIndexOf(']');
    return new Schema.Parser().parse(base.substring(0, fieldsEnd) + "," + field + base.substring(fieldsEnd));
  }

  @Test
  void reRegisteringReturnsTheSameIdAndSubjectsShareIds(EmbeddedStack stack) {
    SchemaRegistryClient registry = stack.newRegistryClient();
    int id = registry.register("idempotent-value", CheckpointEvent.getClassSchema());
    assertThat(stack.newRegistryClient().register("idempotent-value", CheckpointEvent.getClassSchema()))
        .isEqualTo(id);
    assertThat(registry.register("other-value", CheckpointEvent.getClassSchema())).isEqualTo(id);
    assertThat(registry.versions("idempotent-value")).containsExactly(1);
    assertThat(registry.schemaById(id)).isEqualTo(CheckpointEvent.getClassSchema());
    assertThat(registry.subjects()).contains("idempotent-value", "other-value");
  }

  @Test
  void incompatibleSchemaIsRefusedWithTheReason(EmbeddedStack stack) {
    SchemaRegistryClient registry = stack.newRegistryClient();
    String subject = "incompatible.images-value";
    registry.register(subject, RotatedImage.getClassSchema());
    Schema breaking = imageWithExtraField("photographer", false);

    Compatibility check = registry.testCompatibility(subject, breaking);
    assertThat(check.compatible()).isFalse();
    assertThat(check.messages()).anySatisfy(m -> assertThat(m).contains("photographer"));

    assertThatThrownBy(() -> registry.register(subject, breaking))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            })
        .hasMessageContaining("incompatible")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("photographer");
    assertThat(registry.versions(subject)).containsExactly(1);

    Schema evolved = imageWithExtraField("photographer", true);
    assertThat(registry.testCompatibility(subject, evolved).compatible()).isTrue();
    assertThat(registry.testCompatibility("no-such-subject", breaking).compatible()).isTrue();
  }

  @Test
  void answersWithConfluentErrorCodes(EmbeddedStack stack) throws Exception {
    SchemaRegistryClient registry = stack.newRegistryClient();
    registry.register("codes-value", RotatedImage.getClassSchema());

    assertThatThrownBy(() -> registry.schemaById(987_654))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> registry.latest("no-such-subject"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401))
        .hasMessageContaining("no-such-subject");
    assertThatThrownBy(() -> registry.version("codes-value", 7))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));

    HttpResponse<String> invalid =
        post(stack, "/subjects/codes-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"recrd\\\"}\"}");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(invalid.body()).get("error_code").asInt()).isEqualTo(42201);

    JsonNode config = JSON.readTree(get(stack, "/config").body());
    assertThat(config.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    JsonNode version = JSON.readTree(get(stack, "/subjects/codes-value/versions/latest").body());
    assertThat(version.get("version").asInt()).isEqualTo(1);
    assertThat(new Schema.Parser().parse(version.get("schema").asText()))
        .isEqualTo(RotatedImage.getClassSchema());
  }

  @Test
  void newWriterIsReadByOldReaderAndOldWriterByNewReader(EmbeddedStack stack) throws Exception {
    String topic = "evolution.images";
    stack.createTopic(topic, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    Schema v2 = imageWithExtraField("photographer", true);
    RotatedImage v1Image = Samples.image(1);
    RotatedImage v2Source = Samples.image(2);

    // Version 1 written with the generated class, then version 2 (one more field, with a default).
    GenericRecord v2Image = new GenericData.Record(v2);
    for (Schema.Field field : RotatedImage.getClassSchema().getFields()) {
      Object value = v2Source.get(field.pos());
      if (value instanceof Enum<?> symbol) {
        value = new GenericData.EnumSymbol(field.schema(), symbol.name());
      } else if (value instanceof java.time.Instant instant) {
        value = instant.toEpochMilli();
      }
      v2Image.put(field.name(), value);
    }
    v2Image.put("photographer", "ada");
    try (KafkaProducer<String, RotatedImage> v1Producer =
            producer(stack, AvroSerdes.serializer(Topics.IMAGES, registry));
        KafkaProducer<String, GenericRecord> v2Producer =
            producer(stack, new AvroSerializer<GenericRecord>(registry))) {
      v1Producer.send(new ProducerRecord<>(topic, "v1", v1Image)).get();
      v2Producer.send(new ProducerRecord<>(topic, "v2", v2Image)).get();
    }
    assertThat(registry.versions(Topics.valueSubject(topic))).containsExactly(1, 2);

    // The old reader (generated class) reads both, ignoring the field it does not know.
    try (KafkaConsumer<String, RotatedImage> oldReader =
        consumer(stack, AvroSerdes.deserializer(Topics.IMAGES, registry))) {
      List<RotatedImage> read = new ArrayList<>();
      consume(oldReader, topic, 2).forEach(r -> read.add(r.value()));
      assertThat(read).containsExactly(v1Image, v2Source);
    }

    // The new reader reads both; the version-1 record gets the field's default.
    try (KafkaConsumer<String, GenericRecord> newReader =
        consumer(stack, new GenericAvroDeserializer(stack.newRegistryClient(), v2))) {
      List<GenericRecord> read = new ArrayList<>();
      consume(newReader, topic, 2).forEach(r -> read.add(r.value()));
      assertThat(read.get(0).get("photographer").toString()).isEqualTo("none");
      assertThat(read.get(0).get("sampleId").toString()).isEqualTo(v1Image.getSampleId());
      assertThat(read.get(1).get("photographer").toString()).isEqualTo("ada");
      assertThat(read.get(1).get("pixels")).isEqualTo(v2Source.getPixels());
    }
  }

  private static HttpResponse<String> get(EmbeddedStack stack, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(EmbeddedStack stack, String path, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
