package io.rotnet.model.checkpoint;

/** A checkpoint was refused; {@link #reason()} says which check failed. */
public final class CheckpointException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Which check refused the checkpoint. */
  public enum Reason {
    /** The location lies outside the configured checkpoint root (.., absolute path, symlink). */
    OUTSIDE_ROOT,
    /** No checkpoint directory or manifest at the location. */
    NOT_FOUND,
    /** The manifest's sha256 differs from the one announced for this checkpoint. */
    MANIFEST_MISMATCH,
    /** The manifest cannot be parsed or misses required fields. */
    MALFORMED_MANIFEST,
    /** A file the manifest lists is missing (or is not a regular file). */
    MISSING_FILE,
    /** A file's size differs from the manifest (truncated or extended). */
    SIZE_MISMATCH,
    /** A file's sha256 differs from the manifest (tampered or corrupted). */
    HASH_MISMATCH,
    /** The checkpoint holds another architecture than the one expected. */
    ARCHITECTURE_MISMATCH,
    /** The parameter file is intact but cannot be loaded into the model. */
    INCOMPATIBLE_PARAMETERS,
    /** Reading failed. */
    IO_ERROR
  }

  private final Reason reason;

  public CheckpointException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CheckpointException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
