package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.RotatedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Gathers the four rotated views of each crop, keyed by (sample id, epoch), in stream order. A
 * group completes when all four rotations have arrived; views that cannot belong to a valid group
 * (bad header, duplicate rotation, disagreeing fields) are rejected at once, and a group still
 * incomplete after {@code maxGroupSpan} later records of its partition is rejected as incomplete.
 *
 * <p>The views of a crop share a key and therefore a partition, so state is kept per partition and
 * everything it decides depends only on that partition's record order, never on poll timing.
 */
public final class RotationGroupAssembler {

  /** Receives completed groups and rejected views, in stream order. */
  public interface Listener {
    void completed(RotationGroup group);

    void rejected(StreamRecord record, Refusal refusal);
  }

  private record GroupKey(String sampleId, int epoch) {}

  private static final class Pending {
    final long firstSequence;
    final StreamRecord[] views = new StreamRecord[4];
    int count;

    Pending(long firstSequence) {
      this.firstSequence = firstSequence;
    }

    RotatedImage any() {
      for (StreamRecord view : views) {
        if (view != null) {
          return view.image();
        }
      }
      throw new IllegalStateException("empty group");
    }

    List<Integer> rotations() {
      List<Integer> present = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        if (views[r] != null) {
          present.add(r);
        }
      }
      return present;
    }
  }

  private static final class PartitionState {
    long sequence;
    final LinkedHashMap<GroupKey, Pending> pending = new LinkedHashMap<>();
  }

  private final int inputSize;
  private final int maxGroupSpan;
  private final Listener listener;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  /**
   * @param inputSize the only crop side accepted
   * @param maxGroupSpan records of a partition after a group's first view within which the group
   *     must complete
   */
  public RotationGroupAssembler(int inputSize, int maxGroupSpan, Listener listener) {
    if (maxGroupSpan < 4) {
      throw new IllegalArgumentException(
          "max group span must be at least 4 records, got " + maxGroupSpan);
    }
    this.inputSize = inputSize;
    this.maxGroupSpan = maxGroupSpan;
    this.listener = listener;
  }

  /** Views waiting for the rest of their group, over all partitions. */
  public int pendingViews() {
    int count = 0;
    for (PartitionState state : partitions.values()) {
      for (Pending group : state.pending.values()) {
        count += group.count;
      }
    }
    return count;
  }

  public void add(StreamRecord record) {
    PartitionState state =
        partitions.computeIfAbsent(record.topicPartition(), tp -> new PartitionState());
    long sequence = state.sequence++;
    Optional<Refusal> problem = RecordChecks.problem(record.image(), inputSize);
    if (problem.isPresent()) {
      listener.rejected(record, problem.get());
    } else {
      place(state, sequence, record);
    }
    evictStale(state, sequence);
  }

  private void place(PartitionState state, long sequence, StreamRecord record) {
    RotatedImage image = record.image();
    GroupKey key = new GroupKey(image.getSampleId(), image.getEpoch());
    Pending group = state.pending.get(key);
    if (group == null) {
      group = new Pending(sequence);
      state.pending.put(key, group);
    }
    int rotation = image.getRotation();
    if (group.views[rotation] != null) {
      listener.rejected(
          record,
          new Refusal(
              Refusal.DUPLICATE_ROTATION,
              "rotation "
                  + rotation
                  + " of sample "
                  + key.sampleId()
                  + " epoch "
                  + key.epoch()
                  + " arrived again (first at offset "
                  + group.views[rotation].offset()
                  + ")"));
      return;
    }
    if (group.count > 0) {
      Optional<Refusal> disagreement = disagreement(group.any(), image);
      if (disagreement.isPresent()) {
        listener.rejected(record, disagreement.get());
        return;
      }
    }
    group.views[rotation] = record;
    group.count++;
    if (group.count == 4) {
      state.pending.remove(key);
      listener.completed(
          new RotationGroup(
              key.sampleId(),
              key.epoch(),
              image.getIndexInEpoch(),
              image.getDatasetSize(),
              Arrays.asList(group.views)));
    }
  }

  private static Optional<Refusal> disagreement(RotatedImage first, RotatedImage other) {
    if (first.getIndexInEpoch() != other.getIndexInEpoch()
        || first.getDatasetSize() != other.getDatasetSize()) {
      return Optional.of(
          new Refusal(
              Refusal.GROUP_MISMATCH,
              "view disagrees with its group: index "
                  + other.getIndexInEpoch()
                  + "/"
                  + other.getDatasetSize()
                  + " vs "
                  + first.getIndexInEpoch()
                  + "/"
                  + first.getDatasetSize()));
    }
    if (first.getHeight() != other.getHeight() || first.getWidth() != other.getWidth()) {
      return Optional.of(
          new Refusal(
              Refusal.GROUP_MISMATCH,
              "view disagrees with its group: shape "
                  + other.getHeight()
                  + "x"
                  + other.getWidth()
                  + " vs "
                  + first.getHeight()
                  + "x"
                  + first.getWidth()));
    }
    return Optional.empty();
  }

  private void evictStale(PartitionState state, long sequence) {
    Iterator<Map.Entry<GroupKey, Pending>> oldestFirst = state.pending.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<GroupKey, Pending> entry = oldestFirst.next();
      Pending group = entry.getValue();
      if (sequence - group.firstSequence < maxGroupSpan) {
        return;
      }
      oldestFirst.remove();
      String reason =
          "incomplete rotation group of sample "
              + entry.getKey().sampleId()
              + " epoch "
              + entry.getKey().epoch()
              + ": only rotations "
              + group.rotations()
              + " arrived within "
              + maxGroupSpan
              + " records";
      for (StreamRecord view : group.views) {
        if (view != null) {
          listener.rejected(view, new Refusal(Refusal.INCOMPLETE_GROUP, reason));
        }
      }
    }
  }
}
