package io.rotnet.trainer.checkpoint;

import io.rotnet.model.ModelSpec;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.TopicPartitionOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Announces written checkpoints on the checkpoint topic, keyed by checkpoint id, and waits for the
 * broker's acknowledgement, so an event is never lost silently.
 */
public final class CheckpointEvents {

  private final Producer<String, CheckpointEvent> producer;
  private final String topic;
  private final Duration ackTimeout;

  /**
   * @param producer an acks=all producer of checkpoint events; the caller closes it
   */
  public CheckpointEvents(
      Producer<String, CheckpointEvent> producer, String topic, Duration ackTimeout) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
  }

  /** {@code <runId>-step-<step>}: the event's key and id. */
  public static String checkpointId(String runId, long step) {
    return runId + "-step-" + step;
  }

  /** The event describing a checkpoint just written. */
  public static CheckpointEvent event(
      String runId, WrittenCheckpoint written, ModelSpec spec, TrainerState state, Instant now) {
    List<TopicPartitionOffset> offsets = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> next : state.position().nextOffsets().entrySet()) {
      offsets.add(
          new TopicPartitionOffset(
              next.getKey().topic(), next.getKey().partition(), next.getValue()));
    }
    return CheckpointEvent.newBuilder()
        .setCheckpointId(checkpointId(runId, state.step()))
        .setRunId(runId)
        .setStep(state.step())
        .setEpoch(state.epoch())
        .setImagesSeen(state.imagesSeen())
        .setUri(written.location())
        .setSha256(written.manifestSha256())
        .setSizeBytes(written.totalBytes())
        .setArchitecture(spec.architecture())
        .setInputSize(spec.inputSize())
        .setPreset(state.preset())
        .setPretextLoss(state.loss())
        .setPretextAccuracy(state.accuracy())
        .setConsumedOffsets(offsets)
        .setCreatedAt(now)
        .build();
  }

  /** Sends the event and waits until the broker has it. */
  public RecordMetadata publish(CheckpointEvent event) throws InterruptedException {
    try {
      return producer
          .send(new ProducerRecord<>(topic, event.getRunId(), event))
          .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "checkpoint event "
              + event.getCheckpointId()
              + " was not acknowledged by "
              + topic
              + ": "
              + cause,
          cause);
    }
  }
}
