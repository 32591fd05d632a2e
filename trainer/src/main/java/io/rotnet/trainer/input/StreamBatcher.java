package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.RotatedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns the ordered records of the image topic into host batches of whole rotation groups: decodes
 * each record, gathers rotation groups, decodes their pixels straight into a pooled batch buffer
 * and, when a batch is full, emits it with the stream position to resume from after it. Refused
 * records go to a {@link RefusalSink} (the dead-letter topic) and count as done.
 *
 * <p>Single-threaded: {@link BatchPrefetcher} drives it from its reading thread. Batch composition
 * depends only on each partition's record order.
 */
public final class StreamBatcher {

  /** Where refused records go; the dead-letter router in production. */
  public interface RefusalSink {
    void refuse(ConsumerRecord<String, byte[]> record, Refusal refusal);
  }

  private final int groupsPerBatch;
  private final int inputSize;
  private final PixelDecoder decoder;
  private final BufferPool pool;
  private final Function<ConsumerRecord<String, byte[]>, Optional<RotatedImage>> valueDecoder;
  private final RefusalSink sink;
  private final RotationGroupAssembler assembler;
  private final OffsetTracker tracker = new OffsetTracker();
  private final List<HostBatch> emitted = new ArrayList<>();

  private float[] buffer;
  private final List<RotationGroup> groups = new ArrayList<>();
  // Written only by the reading thread, read by the training loop for its progress line.
  private volatile long recordsRead;
  private volatile long recordsRefused;

  /**
   * @param valueDecoder decodes a record's value, or returns empty after dead-lettering it
   */
  public StreamBatcher(
      int groupsPerBatch,
      int inputSize,
      int maxGroupSpan,
      int buffers,
      Function<ConsumerRecord<String, byte[]>, Optional<RotatedImage>> valueDecoder,
      RefusalSink sink) {
    this(groupsPerBatch, inputSize, ImageNormalization.IMAGENET, maxGroupSpan, buffers, valueDecoder, sink);
  }

  /** As above, normalizing with {@code normalization}. */
  public StreamBatcher(
      int groupsPerBatch,
      int inputSize,
      ImageNormalization normalization,
      int maxGroupSpan,
      int buffers,
      Function<ConsumerRecord<String, byte[]>, Optional<RotatedImage>> valueDecoder,
      RefusalSink sink) {
    if (groupsPerBatch <= 0) {
      throw new IllegalArgumentException(
          "groups per batch must be positive, got " + groupsPerBatch);
    }
    this.groupsPerBatch = groupsPerBatch;
    this.inputSize = inputSize;
    this.decoder = new PixelDecoder(inputSize, normalization);
    this.pool = new BufferPool(buffers, groupsPerBatch * 4 * decoder.floatsPerImage());
    this.valueDecoder = Objects.requireNonNull(valueDecoder, "valueDecoder");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.assembler = new RotationGroupAssembler(inputSize, maxGroupSpan, new Listener());
  }

  /** Reading of a partition resumes at a saved position. */
  public void start(TopicPartition tp, StreamPosition.PartitionPosition position) {
    tracker.start(tp, position);
  }

  /** Reading of a partition starts at an offset with nothing done before. */
  public void start(TopicPartition tp, long offset) {
    tracker.start(tp, offset);
  }

  /**
   * Takes the next record of its partition and returns the batch it completes, if any. Waits for a
   * free batch buffer while {@code keepWaiting} holds; returns empty without reading the record
   * once it no longer does.
   */
  public Optional<HostBatch> accept(
      ConsumerRecord<String, byte[]> record, BooleanSupplier keepWaiting)
      throws InterruptedException {
    if (buffer == null) {
      buffer = pool.take(keepWaiting);
      if (buffer == null) {
        return Optional.empty();
      }
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    if (!tracker.read(tp, record.offset())) {
      return Optional.empty(); // used before the checkpoint we resumed from
    }
    recordsRead++;
    Optional<RotatedImage> image = valueDecoder.apply(record);
    if (image.isEmpty()) {
      recordsRefused++;
      tracker.done(tp, record.offset());
      return Optional.empty();
    }
    assembler.add(new StreamRecord(record, image.get()));
    if (emitted.isEmpty()) {
      return Optional.empty();
    }
    HostBatch batch = emitted.remove(0);
    return Optional.of(batch);
  }

  /** Records read (not counting those skipped on resume). */
  public long recordsRead() {
    return recordsRead;
  }

  /** Records refused, by the value decoder or by the checks here. */
  public long recordsRefused() {
    return recordsRefused;
  }

  /** Views waiting for the rest of their rotation group. */
  public int pendingViews() {
    return assembler.pendingViews();
  }

  private void refuse(StreamRecord record, Refusal refusal) {
    recordsRefused++;
    sink.refuse(record.raw(), refusal);
    tracker.done(record.topicPartition(), record.offset());
  }

  private void addGroup(RotationGroup group) {
    int imageFloats = decoder.floatsPerImage();
    int base = groups.size() * 4 * imageFloats;
    for (int r = 0; r < 4; r++) {
      try {
        decoder.decodeInto(group.views().get(r).image(), buffer, base + r * imageFloats);
      } catch (RejectedInputException e) {
        refuseGroup(group, r, e.refusal());
        return;
      }
    }
    groups.add(group);
    if (groups.size() == groupsPerBatch) {
      emitted.add(emit());
    }
  }

  private void refuseGroup(RotationGroup group, int failedRotation, Refusal cause) {
    for (int r = 0; r < 4; r++) {
      StreamRecord view = group.views().get(r);
      refuse(
          view,
          r == failedRotation
              ? cause
              : new Refusal(
                  Refusal.INCOMPLETE_GROUP,
                  "rotation "
                      + failedRotation
                      + " of sample "
                      + group.sampleId()
                      + " was refused ("
                      + cause
                      + ")"));
    }
  }

  private HostBatch emit() {
    List<String> sampleIds = new ArrayList<>(groups.size());
    for (RotationGroup group : groups) {
      sampleIds.add(group.sampleId());
      for (StreamRecord view : group.views()) {
        tracker.done(view.topicPartition(), view.offset());
      }
    }
    double start = Double.MAX_VALUE;
    double end = 0;
    int epoch = 0;
    for (RotationGroup group : groups) {
      start = Math.min(start, group.startProgress());
      end = Math.max(end, group.endProgress());
      epoch = Math.max(epoch, group.epoch());
    }
    float[] pixels = buffer;
    HostBatch batch =
        new HostBatch(
            pixels,
            groups.size() * 4,
            inputSize,
            sampleIds,
            start,
            end,
            epoch,
            tracker.position(),
            () -> pool.give(pixels));
    groups.clear();
    buffer = null;
    return batch;
  }

  private final class Listener implements RotationGroupAssembler.Listener {
    @Override
    public void completed(RotationGroup group) {
      addGroup(group);
    }

    @Override
    public void rejected(StreamRecord record, Refusal refusal) {
      refuse(record, refusal);
    }
  }
}
