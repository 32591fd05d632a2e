package io.rotnet.evaluator.dataset;

/** A dataset cannot be read: missing or malformed files, an image that does not decode. */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
