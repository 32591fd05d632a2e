package io.rotnet.evaluator.run;

import io.rotnet.model.checkpoint.CheckpointException;
import java.io.IOException;

/** A checkpoint that passed verification but could not be loaded into a model. */
public final class CheckpointLoadException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointLoadException(CheckpointException cause) {
    super(cause.getMessage(), cause);
  }

  public CheckpointException checkpointException() {
    return (CheckpointException) getCause();
  }
}
