package io.rotnet.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro values as {@link GenericRecord}s: as written, or resolved to a given
 * reader schema. For tools that print any topic, and for reading with a schema that has no
 * generated class. Fails like {@link AvroDeserializer}. Thread-safe.
 */
public class GenericAvroDeserializer implements Deserializer<GenericRecord> {

  private final FramedAvroReader<GenericRecord> reader;

  /** Reads every value with its writer's schema. */
  public GenericAvroDeserializer(SchemaRegistryClient registry) {
    this(registry, null);
  }

  /** Resolves every writer schema to {@code readerSchema} (null: read as written). */
  public GenericAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
    Objects.requireNonNull(registry, "registry");
    this.reader =
        new FramedAvroReader<>(
            registry,
            writer -> readerSchema != null ? readerSchema : writer,
            (writer, reader) -> new GenericDatumReader<>(writer, reader, GenericData.get()));
  }

  @Override
  public GenericRecord deserialize(String topic, byte[] data) {
    return data == null ? null : reader.read(data);
  }

  @Override
  public GenericRecord deserialize(String topic, Headers headers, ByteBuffer data) {
    return data == null ? null : reader.read(data);
  }
}
