package io.rotnet.trainer.input;

import java.util.Objects;

/**
 * Why a view cannot be trained on: a short reason class (counted, and the prefix of the dead
 * letter's reason) and a detail for people.
 */
public record Refusal(String reasonClass, String detail) {

  public static final String WRONG_SHAPE = "wrong-shape";
  public static final String BAD_HEADER = "bad-header";
  public static final String CORRUPT_IMAGE = "corrupt-image";
  public static final String DUPLICATE_ROTATION = "duplicate-rotation";
  public static final String GROUP_MISMATCH = "group-mismatch";
  public static final String INCOMPLETE_GROUP = "incomplete-group";

  public Refusal {
    Objects.requireNonNull(reasonClass, "reasonClass");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return reasonClass + ": " + detail;
  }
}
