package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.RotatedImage;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** A decoded view together with the Kafka record it came from (needed to dead-letter it). */
public record StreamRecord(ConsumerRecord<String, byte[]> raw, RotatedImage image) {

  public StreamRecord {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(image, "image");
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(raw.topic(), raw.partition());
  }

  public long offset() {
    return raw.offset();
  }

  @Override
  public String toString() {
    return raw.topic()
        + "-"
        + raw.partition()
        + "@"
        + raw.offset()
        + " "
        + image.getSampleId()
        + " rot "
        + image.getRotation();
  }
}
