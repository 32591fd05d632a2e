package io.rotnet.schemas.serde;

import io.rotnet.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * Typed serdes for the contract's topics, sharing one registry client:
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(url);
 * Producer<String, RotatedImage> producer =
 *     new KafkaProducer<>(config, new StringSerializer(), AvroSerdes.serializer(Topics.IMAGES, registry));
 * }</pre>
 */
public final class AvroSerdes {

  private AvroSerdes() {}

  /** Writes the topic's value type; the subject follows the topic the value is sent to. */
  public static <V extends SpecificRecord> AvroSerializer<V> serializer(
      Topic<V> topic, SchemaRegistryClient registry) {
    return new AvroSerializer<>(registry);
  }

  /** Reads values of any compatible writer schema into the topic's value type. */
  public static <V extends SpecificRecord> AvroDeserializer<V> deserializer(
      Topic<V> topic, SchemaRegistryClient registry) {
    return new AvroDeserializer<>(registry, topic.valueType());
  }

  /** Both of the above as a Kafka Streams serde. */
  public static <V extends SpecificRecord> AvroSerde<V> serde(
      Topic<V> topic, SchemaRegistryClient registry) {
    return new AvroSerde<>(registry, topic.valueType());
  }
}
