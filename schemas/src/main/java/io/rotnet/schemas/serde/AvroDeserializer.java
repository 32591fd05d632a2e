package io.rotnet.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro values into SpecificRecords. The writer's schema is fetched by the id
 * in the header (once per id) and resolved against the reader's own schema, so values written
 * with an older or newer compatible schema read fine. Failures throw {@link AvroDecodingException}
 * saying what was wrong (not Confluent framing, unknown schema id, truncated or corrupt Avro, a
 * writer schema the reader cannot resolve). Thread-safe.
 *
 * <p>Built by {@link AvroSerdes}, or created by Kafka from its class name and set up through
 * {@link #configure(Map, boolean)} with {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} and
 * {@value AvroSerdeConfig#VALUE_TYPE}.
 */
public class AvroDeserializer<V extends SpecificRecord> implements Deserializer<V> {

  private Class<V> valueType;
  private FramedAvroReader<V> reader;

  /** For Kafka's by-class-name construction; {@link #configure} must follow. */
  public AvroDeserializer() {}

  /**
   * Reads into {@code valueType}, resolving every writer schema against the class's schema. A
   * null type reads each value as the generated class named by its writer's schema.
   */
  public AvroDeserializer(SchemaRegistryClient registry, Class<V> valueType) {
    setUp(Objects.requireNonNull(registry, "registry"), valueType);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (reader != null) {
      return;
    }
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    Class<?> type = config.valueType();
    if (type != null && !SpecificRecord.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          AvroSerdeConfig.VALUE_TYPE + " must name a generated Avro record class, got " + type);
    }
    setUp(config.newRegistryClient(), (Class<V>) type);
  }

  private void setUp(SchemaRegistryClient registry, Class<V> type) {
    this.valueType = type;
    if (type != null) {
      SpecificData model = SpecificData.getForClass(type);
      Schema readerSchema = model.getSchema(type);
      this.reader =
          new FramedAvroReader<>(
              registry,
              writer -> readerSchema,
              (writer, reader) -> new SpecificDatumReader<>(writer, reader, model));
    } else {
      this.reader =
          new FramedAvroReader<>(
              registry,
              writer -> writer,
              (writer, reader) ->
                  new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(writer)));
    }
  }

  @Override
  public V deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (reader == null) {
      throw new IllegalStateException(
          "AvroDeserializer is not configured: set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }
    return reader.read(data);
  }

  /** Kafka's consumer calls this one: decode straight from the fetch buffer, without a copy. */
  @Override
  public V deserialize(String topic, Headers headers, ByteBuffer data) {
    if (data == null) {
      return null;
    }
    if (reader == null) {
      throw new IllegalStateException(
          "AvroDeserializer is not configured: set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }
    return reader.read(data);
  }

  /** The class values are read into, or null when it follows the writer's schema. */
  public Class<V> valueType() {
    return valueType;
  }
}
