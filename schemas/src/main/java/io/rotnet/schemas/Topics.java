package io.rotnet.schemas;

import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.util.List;
import java.util.Optional;

/** Every topic of the pipeline, in one place. */
public final class Topics {

  /** Rotated training views, keyed by sample id (the four views of a crop share a partition). */
  public static final Topic<RotatedImage> IMAGES = new Topic<>("rotnet.images", RotatedImage.class);

  /** Images the producer or trainer refused, with the reason. */
  public static final Topic<DeadLetter> IMAGES_DLQ =
      new Topic<>(deadLetterTopic(IMAGES.name()), DeadLetter.class);

  /**
   * One event per complete checkpoint, keyed by run id: a run's checkpoints stay in order on one
   * partition while several runs spread over {@link #CHECKPOINT_PARTITIONS} partitions, so the
   * instances of one benchmark's group take different runs at once.
   */
  public static final Topic<CheckpointEvent> CHECKPOINTS =
      new Topic<>("rotnet.checkpoints", CheckpointEvent.class);

  /** Partitions {@link #CHECKPOINTS} is created with ({@link TopicLayout#ensure}). */
  public static final int CHECKPOINT_PARTITIONS = 6;

  /** Checkpoint events (or checkpoints) an evaluator refused. */
  public static final Topic<DeadLetter> CHECKPOINTS_DLQ =
      new Topic<>(deadLetterTopic(CHECKPOINTS.name()), DeadLetter.class);

  /** Periodic training progress, keyed by run id. */
  public static final Topic<TrainingMetrics> METRICS =
      new Topic<>("rotnet.metrics", TrainingMetrics.class);

  /** Benchmark results, keyed by {@code <checkpoint>/<benchmark>/<dataset>}. */
  public static final Topic<EvalResult> EVAL_RESULTS =
      new Topic<>("rotnet.eval-results", EvalResult.class);

  public static final List<Topic<?>> ALL =
      List.of(IMAGES, IMAGES_DLQ, CHECKPOINTS, CHECKPOINTS_DLQ, METRICS, EVAL_RESULTS);

  private static final String DLQ_SUFFIX = ".dlq";

  private Topics() {}

  /** The dead-letter topic of any topic: {@code <topic>.dlq}. */
  public static String deadLetterTopic(String topic) {
    return topic + DLQ_SUFFIX;
  }

  /** Registry subject for the values of a topic (Confluent TopicNameStrategy). */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  /**
   * The contract topic with this name; a custom name ending in {@code .dlq} holds dead letters,
   * any other unknown name is resolved by the caller.
   */
  public static Optional<Topic<?>> byName(String name) {
    for (Topic<?> topic : ALL) {
      if (topic.name().equals(name)) {
        return Optional.of(topic);
      }
    }
    if (name.endsWith(DLQ_SUFFIX)) {
      return Optional.of(new Topic<>(name, DeadLetter.class));
    }
    return Optional.empty();
  }
}
