package io.rotnet.model.checkpoint;

import java.util.Objects;

/**
 * A Kafka position a checkpoint's training has consumed up to (the model stays Kafka-free).
 *
 * @param topic topic name
 * @param partition partition number
 * @param offset next offset to consume
 */
public record ConsumedOffset(String topic, int partition, long offset) {
  public ConsumedOffset {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank() || partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "invalid consumed offset " + topic + "-" + partition + "@" + offset);
    }
  }
}
