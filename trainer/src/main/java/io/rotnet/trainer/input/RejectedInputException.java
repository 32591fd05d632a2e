package io.rotnet.trainer.input;

/** Input that decodes as a record but cannot be trained on. */
public final class RejectedInputException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Refusal refusal;

  public RejectedInputException(String reasonClass, String detail) {
    this(reasonClass, detail, null);
  }

  public RejectedInputException(String reasonClass, String detail, Throwable cause) {
    super(reasonClass + ": " + detail, cause);
    this.refusal = new Refusal(reasonClass, detail);
  }

  public Refusal refusal() {
    return refusal;
  }
}
