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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

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
    return event(runId, written.location(), written.manifestSha256(), written.totalBytes(), spec, state, now);
  }

  /** The event of the checkpoint a run resumes from, as it was (or should have been) announced. */
  public static CheckpointEvent event(
      String runId, ResumePoint resumed, ModelSpec spec, Instant now) {
    return event(runId, resumed.location(), resumed.manifestSha256(), resumed.totalBytes(), spec, resumed.state(), now);
  }

  private static CheckpointEvent event(String runId, String location, String manifestSha256, long totalBytes,
      ModelSpec spec, TrainerState state, Instant now) {
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
        .setUri(location)
        .setSha256(manifestSha256)
        .setSizeBytes(totalBytes)
        .setArchitecture(spec.architecture())
        .setInputSize(spec.inputSize())
        .setPreset(state.preset())
        .setPretextLoss(state.loss())
        .setPretextAccuracy(state.accuracy())
        .setConsumedOffsets(offsets)
        .setCreatedAt(now)
        .build();
  }

  /**
   * Whether the topic already holds an event for {@code checkpointId}: read from the beginning to
   * the end offsets seen now, committed records only. A trainer killed between the checkpoint's
   * rename and its event resumes from a checkpoint nobody was told about; this tells it to announce
   * it, once.
   */
  public static boolean announced(Consumer<String, CheckpointEvent> reader, String topic, String checkpointId,
      Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    List<PartitionInfo> infos = reader.partitionsFor(topic, timeout);
    if (infos == null) {
      return false; // no such topic yet: nothing was announced
    }
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = reader.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (partitions.stream().anyMatch(tp -> reader.position(tp, timeout) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
      }
      try {
        for (ConsumerRecord<String, CheckpointEvent> record : reader.poll(Duration.ofMillis(200))) {
          if (record.value() != null && checkpointId.equals(record.value().getCheckpointId())) {
            return true;
          }
        }
      } catch (RecordDeserializationException e) {
        reader.seek(e.topicPartition(), e.offset() + 1); // not an event of ours: the evaluators dead-letter it
      }
    }
    return false;
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
