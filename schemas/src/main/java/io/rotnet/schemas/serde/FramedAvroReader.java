package io.rotnet.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.DatumReader;

/**
 * The decoding both deserializers share: read the header, find (once per schema id) the writer's
 * schema and a datum reader resolving it to the reader's schema, decode the body within its
 * bounds, and turn every failure into an {@link AvroDecodingException} that says what was wrong.
 */
final class FramedAvroReader<V> {

  /** Makes a datum reader for a (writer, reader) schema pair. */
  interface ReaderFactory<V> {
    DatumReader<V> create(Schema writer, Schema reader);
  }

  private final SchemaRegistryClient registry;
  private final Function<Schema, Schema> readerSchemaFor;
  private final ReaderFactory<V> readerFactory;
  private final Map<Integer, ReadPlan<V>> plansBySchemaId = new ConcurrentHashMap<>();

  /** How values of one writer schema are read, or why they cannot be. */
  private record ReadPlan<V>(Schema writer, DatumReader<V> reader, String refusal) {}

  /**
   * @param readerSchemaFor the reader's schema given the writer's (identity to read as written)
   */
  FramedAvroReader(
      SchemaRegistryClient registry,
      Function<Schema, Schema> readerSchemaFor,
      ReaderFactory<V> readerFactory) {
    this.registry = registry;
    this.readerSchemaFor = readerSchemaFor;
    this.readerFactory = readerFactory;
  }

  V read(byte[] data) {
    return read(data, 0, data.length);
  }

  /**
   * Reads the value in a heap ByteBuffer (Kafka's fetch buffer) where it lies, saving the copy
   * into a byte[] that Kafka would otherwise make; other buffers are copied.
   */
  V read(ByteBuffer data) {
    if (data.hasArray()) {
      return read(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    return read(copy, 0, copy.length);
  }

  V read(byte[] buffer, int offset, int length) {
    int schemaId = WireFormat.readSchemaId(buffer, offset, length);
    ReadPlan<V> plan = planFor(schemaId);
    if (plan.refusal() != null) {
      throw new AvroDecodingException(DecodeFailure.INCOMPATIBLE_SCHEMA, schemaId, plan.refusal());
    }
    int bodyLength = length - WireFormat.HEADER_SIZE;
    BoundedBinaryDecoder in =
        new BoundedBinaryDecoder(buffer, offset + WireFormat.HEADER_SIZE, bodyLength);
    String record = plan.writer().getName() + " record of schema id " + schemaId;
    V value;
    try {
      value = plan.reader().read(null, in);
    } catch (EOFException e) {
      throw new AvroDecodingException(
          DecodeFailure.TRUNCATED_AVRO,
          schemaId,
          "the " + bodyLength + "-byte body ends inside the " + record + " (" + e.getMessage()
              + ")",
          e);
    } catch (IOException | RuntimeException e) {
      throw new AvroDecodingException(
          DecodeFailure.CORRUPT_AVRO,
          schemaId,
          "the " + bodyLength + "-byte body is not a valid " + record + ": " + e,
          e);
    }
    if (in.remaining() != 0) {
      throw new AvroDecodingException(
          DecodeFailure.CORRUPT_AVRO,
          schemaId,
          in.remaining() + " bytes left over after the " + record);
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
    Schema reader = readerSchemaFor.apply(writer);
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
    return new ReadPlan<>(writer, readerFactory.create(writer, reader), null);
  }
}
