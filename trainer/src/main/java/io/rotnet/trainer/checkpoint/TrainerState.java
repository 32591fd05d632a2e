package io.rotnet.trainer.checkpoint;

import io.rotnet.trainer.input.StreamPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The training loop's own state in a checkpoint, beside the model and the optimizer: steps, images,
 * schedule progress and where to resume reading. Stored as a small properties file.
 *
 * @param step optimizer steps taken
 * @param imagesSeen rotated images trained on
 * @param epochProgress fractional epoch reached (epoch plus fraction of its images)
 * @param position where to resume reading the image topic
 * @param epochBoundary the epoch completed when this checkpoint was taken at an epoch boundary
 * @param preset name of the training preset
 * @param loss mean loss over the last steps
 * @param accuracy mean rotation accuracy over the last steps
 */
public record TrainerState(
    long step,
    long imagesSeen,
    double epochProgress,
    StreamPosition position,
    OptionalInt epochBoundary,
    String preset,
    double loss,
    double accuracy) {

  public static final String FILE = "trainer-state.properties";
  private static final String FORMAT = "1";

  public TrainerState {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(epochBoundary, "epochBoundary");
    Objects.requireNonNull(preset, "preset");
    if (step < 0 || imagesSeen < 0 || !(epochProgress >= 0)) {
      throw new IllegalArgumentException("step, images and progress must be >= 0");
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
          Double.parseDouble(required(properties, "accuracy")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed trainer state: " + e.getMessage(), e);
    }
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("trainer state lacks " + key);
    }
    return value;
  }
}
