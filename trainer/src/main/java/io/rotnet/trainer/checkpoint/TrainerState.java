package io.rotnet.trainer.checkpoint;

import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.precision.LossScaler;
import io.rotnet.trainer.precision.Precision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The training loop's own state in a checkpoint, beside the model and the optimizer: steps, images,
 * schedule progress, where to resume reading, and the precision with its loss scaler. Stored as a
 * small properties file; a file without the precision keys is an fp32 run's.
 *
 * @param step training steps taken (fp16 steps skipped for overflowing gradients included)
 * @param imagesSeen rotated images trained on
 * @param epochProgress fractional epoch reached (epoch plus fraction of its images)
 * @param position where to resume reading the image topic
 * @param epochBoundary the epoch completed when this checkpoint was taken at an epoch boundary
 * @param preset name of the training preset
 * @param loss mean loss over the last steps
 * @param accuracy mean rotation accuracy over the last steps
 * @param precision precision the steps ran in
 * @param lossScaler the fp16 loss scaler's state; empty in other precisions
 */
public record TrainerState(
    long step,
    long imagesSeen,
    double epochProgress,
    StreamPosition position,
    OptionalInt epochBoundary,
    String preset,
    double loss,
    double accuracy,
    Precision precision,
    Optional<LossScaler.State> lossScaler) {

  public static final String FILE = "trainer-state.properties";
  private static final String FORMAT = "1";

  public TrainerState {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(epochBoundary, "epochBoundary");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(lossScaler, "lossScaler");
    if (step < 0 || imagesSeen < 0 || !(epochProgress >= 0)) {
      throw new IllegalArgumentException("step, images and progress must be >= 0");
    }
    if (precision.needsLossScaling() != lossScaler.isPresent()) {
      throw new IllegalArgumentException(
          precision.needsLossScaling()
              ? precision.label() + " trainer state lacks its loss scaler"
              : precision.label() + " trainer state must not carry a loss scaler");
    }
  }

  /** Completed epochs as the schedule counts them. */
  public int epoch() {
    return (int) Math.floor(epochProgress);
  }

  public byte[] toBytes() {
    Properties properties = new Properties();
    properties.setProperty("format", FORMAT);
    properties.setProperty("step", Long.toString(step));
    properties.setProperty("imagesSeen", Long.toString(imagesSeen));
    // Double.toString round-trips exactly, so the schedule resumes at the same point.
    properties.setProperty("epochProgress", Double.toString(epochProgress));
    properties.setProperty("position", position.encode());
    epochBoundary.ifPresent(e -> properties.setProperty("epochBoundary", Integer.toString(e)));
    properties.setProperty("preset", preset);
    properties.setProperty("loss", Double.toString(loss));
    properties.setProperty("accuracy", Double.toString(accuracy));
    properties.setProperty("precision", precision.label());
    lossScaler.ifPresent(
        scaler -> {
          // Float.toString round-trips exactly, so the scale resumes unchanged.
          properties.setProperty("lossScale", Float.toString(scaler.scale()));
          properties.setProperty("lossScaleCleanSteps", Integer.toString(scaler.cleanSteps()));
          properties.setProperty("skippedSteps", Long.toString(scaler.skippedSteps()));
        });
    StringWriter text = new StringWriter();
    try {
      properties.store(text, "rotnet trainer state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Parses {@link #toBytes()}; anything else is an IllegalArgumentException with the reason. */
  public static TrainerState fromBytes(byte[] bytes) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed trainer state: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(properties.getProperty("format"))) {
      throw new IllegalArgumentException(
          "unsupported trainer state format " + properties.getProperty("format"));
    }
    try {
      String boundary = properties.getProperty("epochBoundary");
      return new TrainerState(
          Long.parseLong(required(properties, "step")),
          Long.parseLong(required(properties, "imagesSeen")),
          Double.parseDouble(required(properties, "epochProgress")),
          StreamPosition.decode(required(properties, "position")),
          boundary == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(boundary)),
          required(properties, "preset"),
          Double.parseDouble(required(properties, "loss")),
          Double.parseDouble(required(properties, "accuracy")),
          Precision.parse(properties.getProperty("precision", Precision.FP32.label())),
          lossScaler(properties));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed trainer state: " + e.getMessage(), e);
    }
  }

  private static Optional<LossScaler.State> lossScaler(Properties properties) {
    if (properties.getProperty("lossScale") == null) {
      return Optional.empty();
    }
    return Optional.of(
        new LossScaler.State(
            Float.parseFloat(required(properties, "lossScale")),
            Integer.parseInt(required(properties, "lossScaleCleanSteps")),
            Long.parseLong(required(properties, "skippedSteps"))));
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("trainer state lacks " + key);
    }
    return value;
  }
}
