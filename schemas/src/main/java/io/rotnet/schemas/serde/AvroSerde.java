package io.rotnet.schemas.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Avro serializer and deserializer as one Kafka Streams serde; also creatable from its class
 * name ({@code default.value.serde}) and configured like its two halves.
 */
public class AvroSerde<V extends SpecificRecord> implements Serde<V> {

  private final AvroSerializer<V> serializer;
  private final AvroDeserializer<V> deserializer;

  /** For Kafka's by-class-name construction; {@link #configure} must follow. */
  public AvroSerde() {
    this(new AvroSerializer<>(), new AvroDeserializer<>());
  }

  public AvroSerde(SchemaRegistryClient registry, Class<V> valueType) {
    this(new AvroSerializer<>(registry), new AvroDeserializer<>(registry, valueType));
  }

  private AvroSerde(AvroSerializer<V> serializer, AvroDeserializer<V> deserializer) {
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<V> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<V> deserializer() {
    return deserializer;
  }
}
