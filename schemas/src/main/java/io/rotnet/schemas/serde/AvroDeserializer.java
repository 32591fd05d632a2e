package io.rotnet.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro values into SpecificRecords. The writer's schema is fetched by the id
 * in the header (once per id) and resolved against the reader's own schema, so values written
 * with an older or newer compatible schema read fine. Failures throw {@link AvroDecodingException}
 * saying what was wrong. Thread-safe.
 *
 * <p>Built by {@link AvroSerdes}, or created by Kafka from its class name and set up through
 * {@link #configure(Map, boolean)} with {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} and
 * {@value AvroSerdeConfig#VALUE_TYPE}.
 */
public class AvroDeserializer<V extends SpecificRecord> implements Deserializer<V> {

  private SchemaRegistryClient registry;
  private Class<V> valueType;
  private Schema readerSchema;
  private SpecificData model;
  private final Map<Integer, ReadPlan<V>> plansBySchemaId = new ConcurrentHashMap<>();

  /** How values of one writer schema are read, or why they cannot be. */
  private record ReadPlan<V>(Schema writer, DatumReader<V> reader, String refusal) {}

  /** For Kafka's by-class-name construction; {@link #configure} must follow. */
  public AvroDeserializer() {}

  /**
   * Reads into {@code valueType}, resolving every writer schema against the class's schema.
   * A null type reads each value as the class named by its writer's schema.
   */
  public AvroDeserializer(SchemaRegistryClient registry, Class<V> valueType) {
    this.registry = Objects.requireNonNull(registry, "registry");
    setValueType(valueType);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry != null) {
      return;
    }
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    registry = config.newRegistryClient();
    Class<?> type = config.valueType();
    if (type != null && !SpecificRecord.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          AvroSerdeConfig.VALUE_TYPE + " must name a generated Avro record class, got " + type);
    }
    setValueType((Class<V>) type);
  }

  private void setValueType(Class<V> type) {
    this.valueType = type;
    if (type != null) {
      this.model = SpecificData.getForClass(type);
      this.readerSchema = model.getSchema(type);
    }
  }

  @Override
  public V deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException(
          "AvroDeserializer is not configured: set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }
    int schemaId = WireFormat.readSchemaId(data);
    ReadPlan<V> plan = planFor(schemaId);
    if (plan.refusal() != null) {
      throw new AvroDecodingException(DecodeFailure.INCOMPATIBLE_SCHEMA, schemaId, plan.refusal());
    }
    int bodyLength = data.length - WireFormat.HEADER_SIZE;
    BoundedBinaryDecoder in = new BoundedBinaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength);
    V value;
    try {
      value = plan.reader().read(null, in);
    } catch (EOFException e) {
      throw new AvroDecodingException(
          DecodeFailure.TRUNCATED_AVRO,
          schemaId,
          "the " + bodyLength + "-byte body ends inside the " + plan.writer().getName()
              + " record of schema id " + schemaId + " (" + e.getMessage() + ")",
          e);
    } catch (IOException | RuntimeException e) {
      throw new AvroDecodingException(
          DecodeFailure.CORRUPT_AVRO,
          schemaId,
          "the " + bodyLength + "-byte body is not a valid " + plan.writer().getName()
              + " of schema id " + schemaId + ": " + e,
          e);
    }
    if (in.remaining() != 0) {
      throw new AvroDecodingException(
          DecodeFailure.CORRUPT_AVRO,
          schemaId,
          in.remaining() + " bytes left over after the " + plan.writer().getName()
              + " record of schema id " + schemaId);
    }
    return value;
  }

  private ReadPlan<V> planFor(int schemaId) {
    ReadPlan<V> plan = plansBySchemaId.get(schemaId);
    if (plan != null) {
      return plan;
    }
    Schema writer;
    try {
      writer = registry.schemaById(schemaId);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
        throw new AvroDecodingException(
            DecodeFailure.UNKNOWN_SCHEMA_ID,
            schemaId,
            "unknown schema id " + schemaId + " (" + e.getMessage() + ")",
            e);
      }
      throw new AvroDecodingException(
          DecodeFailure.REGISTRY_UNAVAILABLE,
          schemaId,
          "cannot fetch schema id " + schemaId + ": " + e.getMessage(),
          e);
    }
    plan = newPlan(schemaId, writer);
    ReadPlan<V> previous = plansBySchemaId.putIfAbsent(schemaId, plan);
    return previous == null ? plan : previous;
  }

  private ReadPlan<V> newPlan(int schemaId, Schema writer) {
    Schema reader = readerSchema != null ? readerSchema : writer;
    SpecificData data = model != null ? model : SpecificData.getForSchema(writer);
    SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      String why =
          compatibility.getResult().getIncompatibilities().stream()
              .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
              .collect(Collectors.joining("; "));
      return new ReadPlan<>(
          writer,
          null,
          "writer schema id " + schemaId + " (" + writer.getFullName() + ") cannot be read as "
              + reader.getFullName() + ": " + why);
    }
    return new ReadPlan<>(writer, new SpecificDatumReader<>(writer, reader, data), null);
  }

  /** The class values are read into, or null when it follows the writer's schema. */
  public Class<V> valueType() {
    return valueType;
  }
}
