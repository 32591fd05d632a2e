package io.rotnet.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (generated SpecificRecords, or GenericRecords for tools and tests) in
 * the Confluent wire format. The record's schema is registered
 * under the topic's subject (TopicNameStrategy: {@code <topic>-value}) the first time the topic is
 * seen; after that no HTTP call is made. Each value is encoded once, straight into an array of its
 * final size. Thread-safe.
 *
 * <p>Built by {@link AvroSerdes}, or created by Kafka from its class name and set up through
 * {@link #configure(Map, boolean)} with {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL}.
 */
public class AvroSerializer<V extends GenericContainer> implements Serializer<V> {

  private SchemaRegistryClient registry;
  private boolean isKey;
  private final Map<String, SchemaId> idsByTopic = new ConcurrentHashMap<>();
  private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  private record SchemaId(Schema schema, int id) {}

  private record WriterKey(Schema schema, boolean specific) {}

  /** For Kafka's by-class-name construction; {@link #configure} must follow. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistryClient registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      registry = new AvroSerdeConfig(configs).newRegistryClient();
    }
  }

  @Override
  public byte[] serialize(String topic, V data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException(
          "AvroSerializer is not configured: set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }
    Schema schema = data.getSchema();
    int id = schemaId(topic, schema);
    DatumWriter<Object> writer =
        writers.computeIfAbsent(
            new WriterKey(schema, data instanceof SpecificRecord), AvroSerializer::writerFor);
    try {
      SizingEncoder sizing = new SizingEncoder();
      writer.write(data, sizing);
      long size = WireFormat.HEADER_SIZE + sizing.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new SerializationException(
            "value of " + schema.getFullName() + " is too large: " + size + " bytes");
      }
      byte[] framed = new byte[(int) size];
      WireFormat.writeHeader(framed, id);
      ByteArrayEncoder encoder = new ByteArrayEncoder(framed, WireFormat.HEADER_SIZE);
      writer.write(data, encoder);
      if (encoder.position() != framed.length) {
        throw new SerializationException(
            "value of " + schema.getFullName() + " changed while it was being serialized");
      }
      return framed;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException serialization) {
        throw serialization;
      }
      throw new SerializationException(
          "cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }

  private int schemaId(String topic, Schema schema) {
    SchemaId known = idsByTopic.get(topic);
    if (known != null && known.schema() == schema) {
      return known.id();
    }
    String subject = isKey ? topic + "-key" : topic + "-value";
    try {
      int id = registry.register(subject, schema);
      idsByTopic.put(topic, new SchemaId(schema, id));
      return id;
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot register " + schema.getFullName() + " under subject " + subject + ": "
              + e.getMessage(),
          e);
    }
  }

  private static DatumWriter<Object> writerFor(WriterKey key) {
    // A generated class's own model carries its logical-type conversions (Instant for
    // timestamp-millis); generic records carry the underlying values.
    return key.specific()
        ? new SpecificDatumWriter<>(key.schema(), SpecificData.getForSchema(key.schema()))
        : new GenericDatumWriter<>(key.schema(), GenericData.get());
  }
}
