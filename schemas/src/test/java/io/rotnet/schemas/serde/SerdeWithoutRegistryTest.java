package io.rotnet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.RotatedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What the serde and client do before, or without, reaching a registry. */
class SerdeWithoutRegistryTest {

  /** Nothing listens on port 1 of the loopback: connections are refused at once. */
  private static final SchemaRegistryClient UNREACHABLE =
      SchemaRegistryClient.builder()
          .setUrl("http://127.0.0.1:1/")
          .optConnectTimeout(Duration.ofSeconds(2))
          .optUnavailableRetry(Duration.ZERO)
          .build();

  @Test
  void framingErrorsNeedNoRegistryCall() {
    AvroDeserializer<RotatedImage> deserializer =
        AvroSerdes.deserializer(Topics.IMAGES, UNREACHABLE);
    assertThat(deserializer.deserialize("t", null)).isNull();
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 2, 3, 4, 5, 6}))
        .isInstanceOfSatisfying(
            AvroDecodingException.class,
            e -> assertThat(e.failure()).isEqualTo(DecodeFailure.NOT_CONFLUENT_FRAMING));

    // Kafka hands the value over as a slice of its fetch buffer: only the slice counts.
    ByteBuffer fetched = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 1, 9, 9, 9, 9}, 5, 3).slice();
    assertThatThrownBy(() -> deserializer.deserialize("t", new RecordHeaders(), fetched))
        .isInstanceOf(AvroDecodingException.class)
        .hasMessageContaining("value has 3 bytes")
        .hasMessageContaining("not-confluent-framing");
    ByteBuffer wrongMagic = ByteBuffer.wrap(new byte[] {0, 7, 0, 0, 0, 1, 2}, 1, 6).slice();
    assertThatThrownBy(() -> deserializer.deserialize("t", new RecordHeaders(), wrongMagic))
        .hasMessageContaining("first byte is 0x07");
  }

  @Test
  void unreachableRegistryIsATransientFailureNamingTheRegistry() {
    assertThatThrownBy(() -> UNREACHABLE.schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.isTransient()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(-1);
            })
        .hasMessageContaining("http://127.0.0.1:1")
        .hasMessageContaining("GET /schemas/ids/1");

    AvroDeserializer<RotatedImage> deserializer =
        AvroSerdes.deserializer(Topics.IMAGES, UNREACHABLE);
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 1, 2}))
        .isInstanceOfSatisfying(
            AvroDecodingException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(DecodeFailure.REGISTRY_UNAVAILABLE);
              assertThat(e.failure().isTransient()).isTrue();
              assertThat(e.schemaId()).isEqualTo(1);
            });

    AvroSerializer<RotatedImage> serializer = AvroSerdes.serializer(Topics.IMAGES, UNREACHABLE);
    assertThatThrownBy(() -> serializer.serialize("rotnet.images", EncodingTest.image(10)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("rotnet.images-value");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new SchemaRegistryClient("localhost:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://host:port");
    assertThatThrownBy(
            () -> SchemaRegistryClient.builder().setUrl("http://r:8081").optRequestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SchemaRegistryClient.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setUrl");
    assertThat(new SchemaRegistryClient("http://r:8081/").url()).isEqualTo("http://r:8081");

    AvroSerializer<RotatedImage> byName = new AvroSerializer<>();
    assertThatThrownBy(() -> byName.configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    AvroDeserializer<RotatedImage> wrongType = new AvroDeserializer<>();
    assertThatThrownBy(
            () ->
                wrongType.configure(
                    Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:8081",
                        AvroSerdeConfig.VALUE_TYPE, String.class.getName()),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("generated Avro record class");
  }
}
