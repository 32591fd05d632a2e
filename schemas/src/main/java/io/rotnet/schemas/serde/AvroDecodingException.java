package io.rotnet.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A value could not be decoded; {@link #failure()} says which way it was wrong. */
public class AvroDecodingException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final DecodeFailure failure;
  private final int schemaId;

  public AvroDecodingException(DecodeFailure failure, int schemaId, String message) {
    this(failure, schemaId, message, null);
  }

  public AvroDecodingException(
      DecodeFailure failure, int schemaId, String message, Throwable cause) {
    super(failure.reasonClass() + ": " + message, cause);
    this.failure = failure;
    this.schemaId = schemaId;
  }

  public DecodeFailure failure() {
    return failure;
  }

  /** The schema id of the header, or -1 when the header could not be read. */
  public int schemaId() {
    return schemaId;
  }
}
