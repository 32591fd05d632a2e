package io.rotnet.trainer.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Where to resume reading so that every record is trained on (or rejected) exactly once: per
 * partition, the first offset not yet done with, and the offsets after it that are already done (a
 * group can complete, and be trained on, while an older group of its partition still waits). In an
 * ordered stream the set is empty and {@code next} is the offset after the last record of the last
 * trained batch.
 */
public record StreamPosition(Map<TopicPartition, PartitionPosition> partitions) {

  /**
   * @param next first offset to read on resume
   * @param handled offsets at or after {@code next} to skip, because they were already used
   */
  public record PartitionPosition(long next, SortedSet<Long> handled) {
    public PartitionPosition {
      if (next < 0) {
        throw new IllegalArgumentException("negative offset " + next);
      }
      handled = Collections.unmodifiableSortedSet(new TreeSet<>(handled));
      if (!handled.isEmpty() && handled.first() < next) {
        throw new IllegalArgumentException(
            "handled offset " + handled.first() + " before next " + next);
      }
    }
  }

  public StreamPosition {
    TreeMap<TopicPartition, PartitionPosition> sorted = new TreeMap<>(StreamPosition::compare);
    sorted.putAll(partitions);
    partitions = Collections.unmodifiableMap(sorted);
  }

  /** Nothing read yet. */
  public static StreamPosition beginning() {
    return new StreamPosition(Map.of());
  }

  /** Next offset per partition: what a checkpoint reports as consumed offsets. */
  public Map<TopicPartition, Long> nextOffsets() {
    Map<TopicPartition, Long> next = new TreeMap<>(StreamPosition::compare);
    partitions.forEach((tp, position) -> next.put(tp, position.next()));
    return next;
  }

  /** Text form, one line per partition: {@code topic partition next [handled,...]}. */
  public String encode() {
    StringBuilder text = new StringBuilder();
    partitions.forEach(
        (tp, position) -> {
          text.append(tp.topic())
              .append(' ')
              .append(tp.partition())
              .append(' ')
              .append(position.next());
          if (!position.handled().isEmpty()) {
            text.append(' ');
            List<String> offsets = new ArrayList<>();
            position.handled().forEach(o -> offsets.add(Long.toString(o)));
            text.append(String.join(",", offsets));
          }
          text.append('\n');
        });
    return text.toString();
  }

  /** Parses {@link #encode()}'s form; malformed text is an IllegalArgumentException. */
  public static StreamPosition decode(String text) {
    Map<TopicPartition, PartitionPosition> partitions = new TreeMap<>(StreamPosition::compare);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.trim().split(" ");
      if (fields.length < 3 || fields.length > 4) {
        throw new IllegalArgumentException("malformed stream position line: " + line);
      }
      try {
        TopicPartition tp = new TopicPartition(fields[0], Integer.parseInt(fields[1]));
        SortedSet<Long> handled = new TreeSet<>();
        if (fields.length == 4) {
          for (String offset : fields[3].split(",")) {
            handled.add(Long.parseLong(offset));
          }
        }
        partitions.put(tp, new PartitionPosition(Long.parseLong(fields[2]), handled));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed stream position line: " + line, e);
      }
    }
    return new StreamPosition(partitions);
  }

  static int compare(TopicPartition a, TopicPartition b) {
    int byTopic = a.topic().compareTo(b.topic());
    return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
  }
}
