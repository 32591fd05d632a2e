package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.RotatedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka records of views for tests without a broker (Avro single-object encoding). */
final class StreamRecords {

  static final String TOPIC = "images";

  private StreamRecords() {}

  static ConsumerRecord<String, byte[]> record(int partition, long offset, RotatedImage image) {
    try {
      ByteBuffer encoded = image.toByteBuffer();
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return new ConsumerRecord<>(TOPIC, partition, offset, image.getSampleId(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ConsumerRecord<String, byte[]> garbage(int partition, long offset) {
    return new ConsumerRecord<>(TOPIC, partition, offset, "junk", new byte[] {1, 2, 3});
  }

  /** Decodes what {@link #record} encoded; anything else is undecodable. */
  static Optional<RotatedImage> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.of(RotatedImage.fromByteBuffer(ByteBuffer.wrap(record.value())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static StreamRecord streamRecord(int partition, long offset, RotatedImage image) {
    return new StreamRecord(record(partition, offset, image), image);
  }
}
