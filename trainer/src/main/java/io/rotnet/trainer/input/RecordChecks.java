package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import java.util.Optional;

/** Cheap checks of a view's header fields, done before it waits for its group. */
final class RecordChecks {

  private RecordChecks() {}

  /** Why the view cannot be trained on at this input size, or empty when it can. */
  static Optional<Refusal> problem(RotatedImage image, int inputSize) {
    if (image.getChannels() != 3) {
      return Optional.of(
          new Refusal(Refusal.WRONG_SHAPE, "expected 3 channels, got " + image.getChannels()));
    }
    if (image.getHeight() != inputSize || image.getWidth() != inputSize) {
      return Optional.of(
          new Refusal(
              Refusal.WRONG_SHAPE,
              "shape "
                  + image.getHeight()
                  + "x"
                  + image.getWidth()
                  + " is not the trainer's input "
                  + inputSize
                  + "x"
                  + inputSize));
    }
    if (image.getRotation() < 0 || image.getRotation() > 3) {
      return Optional.of(
          new Refusal(
              Refusal.BAD_HEADER, "rotation label " + image.getRotation() + " is outside 0..3"));
    }
    if (image.getEpoch() < 0) {
      return Optional.of(new Refusal(Refusal.BAD_HEADER, "negative epoch " + image.getEpoch()));
    }
    if (image.getDatasetSize() <= 0) {
      return Optional.of(
          new Refusal(
              Refusal.BAD_HEADER, "dataset size must be positive, got " + image.getDatasetSize()));
    }
    if (image.getIndexInEpoch() < 0 || image.getIndexInEpoch() >= image.getDatasetSize()) {
      return Optional.of(
          new Refusal(
              Refusal.BAD_HEADER,
              "index in epoch "
                  + image.getIndexInEpoch()
                  + " is outside 0.."
                  + (image.getDatasetSize() - 1)));
    }
    if (image.getEncoding() == null) {
      return Optional.of(new Refusal(Refusal.BAD_HEADER, "no pixel encoding"));
    }
    int expectedRaw = 3 * inputSize * inputSize;
    int length = image.getPixels() == null ? 0 : image.getPixels().remaining();
    if (image.getEncoding() == PixelEncoding.RAW_RGB8 && length != expectedRaw) {
      return Optional.of(
          new Refusal(
              Refusal.WRONG_SHAPE,
              "RAW_RGB8 pixels hold " + length + " bytes, expected " + expectedRaw));
    }
    if (length == 0) {
      return Optional.of(new Refusal(Refusal.WRONG_SHAPE, "empty pixels"));
    }
    return Optional.empty();
  }
}
