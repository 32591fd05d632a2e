package io.rotnet.trainer.input;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows which offsets are still open (read, waiting in a group or a batch being built) and which
 * are done (in an emitted batch, or rejected), to produce the {@link StreamPosition} a checkpoint
 * stores. Used by the one thread that reads the consumer.
 */
final class OffsetTracker {

  private static final class PartitionOffsets {
    long nextSeen;
    final TreeSet<Long> open = new TreeSet<>();
    final TreeSet<Long> done = new TreeSet<>();
  }

  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

  /** Starts a partition at a saved position: reading resumes at its {@code next}. */
  void start(TopicPartition tp, StreamPosition.PartitionPosition position) {
    PartitionOffsets offsets = new PartitionOffsets();
    offsets.nextSeen = position.next();
    offsets.done.addAll(position.handled());
    partitions.put(tp, offsets);
  }

  /** Starts a partition with nothing done before {@code offset}. */
  void start(TopicPartition tp, long offset) {
    PartitionOffsets offsets = new PartitionOffsets();
    offsets.nextSeen = offset;
    partitions.put(tp, offsets);
  }

  /** Notes a record read; false when it was used before the checkpoint and must be skipped. */
  boolean read(TopicPartition tp, long offset) {
    PartitionOffsets offsets = partitions.computeIfAbsent(tp, k -> new PartitionOffsets());
    offsets.nextSeen = Math.max(offsets.nextSeen, offset + 1);
    if (offsets.done.contains(offset)) {
      return false;
    }
    offsets.open.add(offset);
    return true;
  }

  /** Notes a record done with: trained on in an emitted batch, or rejected. */
  void done(TopicPartition tp, long offset) {
    PartitionOffsets offsets = partitions.get(tp);
    if (offsets == null || !offsets.open.remove(offset)) {
      throw new IllegalStateException("offset " + offset + " of " + tp + " was not open");
    }
    offsets.done.add(offset);
  }

  /** The position after everything done so far. */
  StreamPosition position() {
    Map<TopicPartition, StreamPosition.PartitionPosition> out = new HashMap<>();
    partitions.forEach(
        (tp, offsets) -> {
          long next = offsets.open.isEmpty() ? offsets.nextSeen : offsets.open.first();
          offsets.done.headSet(next).clear();
          out.put(tp, new StreamPosition.PartitionPosition(next, offsets.done));
        });
    return new StreamPosition(out);
  }
}
