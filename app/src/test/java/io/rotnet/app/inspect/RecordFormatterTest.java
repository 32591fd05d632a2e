package io.rotnet.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordFormatterTest {

  static RotatedImage view(String sampleId, int rotation, byte value, int size) {
    byte[] pixels = new byte[size * size * 3];
    Arrays.fill(pixels, value);
    return RotatedImage.newBuilder()
        .setSampleId(sampleId)
        .setSourceUri("file:/data/" + sampleId)
        .setSourceLabel("cats")
        .setEpoch(2)
        .setIndexInEpoch(17)
        .setDatasetSize(1000)
        .setRotation(rotation)
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setEncoding(PixelEncoding.RAW_RGB8)
        .setPixels(ByteBuffer.wrap(pixels))
        .setProducedAt(Instant.parse("2026-01-02T03:04:05Z"))
        .build();
  }

  @Test
  void rotatedImageIsSummarisedNotDumped() {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("rotnet.images", 3, 42, "cats/a.jpg@2", null);
    String line = RecordFormatter.line(record, view("cats/a.jpg@2", 3, (byte) 100, 8));

    assertThat(line)
        .startsWith("p3@42 key=cats/a.jpg@2 RotatedImage")
        .contains("rotation=3 (270 deg ccw)", "epoch=2", "index=17/1000", "label=cats", "8x8x3", "RAW_RGB8", "192 B", "mean=100.0")
        .doesNotContain("\n");
    assertThat(line.length()).isLessThan(300);
  }

  @Test
  void anyRecordPrintsItsFieldsWithBytesSummarised() {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOrigin("file:/data/broken.jpg")
            .setKey("broken.jpg")
            .setReason("corrupt or truncated image: " + "x".repeat(300))
            .setExcerpt(ByteBuffer.wrap(new byte[256]))
            .setService("producer")
            .setFailedAt(Instant.parse("2026-01-02T03:04:05Z"))
            .build();
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("rotnet.images.dlq", 0, 7, "broken.jpg", null);

    String line = RecordFormatter.line(record, letter);

    assertThat(line)
        .startsWith("p0@7 key=broken.jpg DeadLetter")
        .contains("origin=file:/data/broken.jpg", "partition=null", "excerpt=<256 bytes>", "service=producer", "reason=corrupt or truncated image: xxx")
        .contains("...");
    assertThat(line.length()).isLessThan(400);
  }

  @Test
  void undecodableValuesAreShownAsText() {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("t", 1, 2, null, null);
    assertThat(RecordFormatter.line(record, "<undecodable: not Confluent framing>"))
        .isEqualTo("p1@2 key=null <undecodable: not Confluent framing>");
  }

  @Test
  void badlyShapedPixelsGiveNoMeanInsteadOfFailing() {
    RotatedImage wrong = view("a@0", 0, (byte) 1, 4);
    wrong.setWidth(5);
    assertThat(RecordFormatter.rotatedImage(wrong)).contains("mean=?");
  }
}
