package io.rotnet.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void keepsOnlyTheFirstBytesOfTheInput() {
    byte[] input = new byte[1000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) i;
    }
    DeadLetter letter =
        DeadLetters.of("rotnet.images", 2, 42L, "k", "corrupt-image: x", input, "producer");
    ByteBuffer excerpt = letter.getExcerpt();
    assertThat(excerpt.remaining()).isEqualTo(DeadLetters.EXCERPT_BYTES);
    assertThat(excerpt.get(255)).isEqualTo((byte) 255);
    assertThat(letter.getPartition()).isEqualTo(2);
    assertThat(letter.getOffset()).isEqualTo(42L);

    DeadLetter fromFile =
        DeadLetters.of("/data/a.png", null, null, null, "unreadable", null, "producer");
    assertThat(fromFile.getExcerpt().remaining()).isZero();
    assertThat(fromFile.getPartition()).isNull();
  }

  @Test
  void recordsCarryTheirCoordinates() {
    Instant now = Instant.ofEpochMilli(1_000);
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>("rotnet.images", 3, 17L, "key", new byte[] {1, 2});
    DeadLetter letter =
        DeadLetters.of(record, "why", "trainer", Clock.fixed(now, ZoneOffset.UTC));
    assertThat(letter.getOrigin()).isEqualTo("rotnet.images");
    assertThat(letter.getPartition()).isEqualTo(3);
    assertThat(letter.getOffset()).isEqualTo(17L);
    assertThat(letter.getKey()).isEqualTo("key");
    assertThat(letter.getFailedAt()).isEqualTo(now);
    assertThat(DeadLetters.topicFor("rotnet.images")).isEqualTo("rotnet.images.dlq");
  }

  @Test
  void routerBuilderRequiresItsParts() {
    SchemaRegistryClient registry = new SchemaRegistryClient("http://127.0.0.1:1");
    assertThatThrownBy(
            () ->
                DeadLetterRouter.<RotatedImage>builder()
                    .setDeserializer(AvroSerdes.deserializer(Topics.IMAGES, registry))
                    .setService("trainer")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("producer");
    assertThatThrownBy(() -> DeadLetterRouter.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deserializer");
  }
}
