package io.rotnet.schemas.serde;

/**
 * A schema registry call failed. Carries the HTTP status and the registry's own {@code error_code}
 * (Confluent codes such as 40401 subject not found, 40403 schema not found, 409 incompatible) when
 * the registry answered, or {@code -1} for both when it could not be reached.
 */
public class SchemaRegistryException extends RuntimeException {

  /** Confluent error code: the subject does not exist. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  /** Confluent error code: the subject has no such version. */
  public static final int VERSION_NOT_FOUND = 40402;
  /** Confluent error code: no schema has this id. */
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** Confluent error code (and HTTP status): the schema breaks the subject's compatibility rule. */
  public static final int INCOMPATIBLE_SCHEMA = 409;
  /** Confluent error code: the schema text is not a valid schema. */
  public static final int INVALID_SCHEMA = 42201;

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  /** HTTP status of the answer, or -1 when the registry did not answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code}, or -1 when it did not answer or gave none. */
  public int errorCode() {
    return errorCode;
  }

  /** True when retrying later may succeed: no answer, or a server-side error. */
  public boolean isTransient() {
    return httpStatus < 0 || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
  }
}
