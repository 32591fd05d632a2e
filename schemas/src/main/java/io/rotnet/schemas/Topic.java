package io.rotnet.schemas;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic of the contract: its name and the Avro record type of its values. Keys are always
 * UTF-8 strings. Subjects follow Confluent's TopicNameStrategy ({@code <topic>-value}).
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }

  /** The same record type on another topic, e.g. a user-chosen image topic. */
  public Topic<V> named(String otherName) {
    return new Topic<>(otherName, valueType);
  }

  /** Registry subject of this topic's values (TopicNameStrategy). */
  public String valueSubject() {
    return Topics.valueSubject(name);
  }

  /** Topic where records of this topic that cannot be used are parked with a reason. */
  public String deadLetterTopic() {
    return Topics.deadLetterTopic(name);
  }
}
