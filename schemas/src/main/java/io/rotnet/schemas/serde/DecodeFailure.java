package io.rotnet.schemas.serde;

/** Why a Kafka value could not be decoded; the dead-letter router counts records per kind. */
public enum DecodeFailure {
  /** Shorter than the 5-byte header, or the first byte is not the magic byte 0. */
  NOT_CONFLUENT_FRAMING("not-confluent-framing", false),
  /** The registry has no schema with the id in the header. */
  UNKNOWN_SCHEMA_ID("unknown-schema-id", false),
  /** The writer's schema cannot be resolved to the reader's (e.g. another record type). */
  INCOMPATIBLE_SCHEMA("incompatible-schema", false),
  /** The Avro body ends before the record does. */
  TRUNCATED_AVRO("truncated-avro", false),
  /** The Avro body is not a valid encoding of the writer's schema. */
  CORRUPT_AVRO("corrupt-avro", false),
  /** The registry could not be asked; the record itself may be fine, so retry rather than park. */
  REGISTRY_UNAVAILABLE("registry-unavailable", true);

  private final String reasonClass;
  private final boolean isTransient;

  DecodeFailure(String reasonClass, boolean isTransient) {
    this.reasonClass = reasonClass;
    this.isTransient = isTransient;
  }

  /** Short stable name, e.g. {@code unknown-schema-id}; the prefix of dead-letter reasons. */
  public String reasonClass() {
    return reasonClass;
  }

  /** True when the failure is not the record's fault and retrying later may succeed. */
  public boolean isTransient() {
    return isTransient;
  }
}
