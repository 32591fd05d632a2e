package io.rotnet.trainer.checkpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which checkpoints of a run to keep: the {@code keepLast} most recent, plus every checkpoint taken
 * at the end of an epoch that is a multiple of {@code keepEveryEpochs} (MMCV's {@code interval}
 * with {@code max_keep_ckpts}, extended so milestones survive for evaluation).
 */
public record RetentionPolicy(int keepLast, int keepEveryEpochs) {

  /** A checkpoint on disk: its step and, if taken at an epoch boundary, the epoch completed. */
  public record Entry(long step, OptionalInt epochBoundary) {}

  public RetentionPolicy {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be at least 1, got " + keepLast);
    }
    if (keepEveryEpochs < 1) {
      throw new IllegalArgumentException(
          "keepEveryEpochs must be at least 1, got " + keepEveryEpochs);
    }
  }

  /** The entries to delete, oldest first. */
  public List<Entry> toDelete(List<Entry> checkpoints) {
    List<Entry> newestFirst = new ArrayList<>(checkpoints);
    newestFirst.sort(Comparator.comparingLong(Entry::step).reversed());
    List<Entry> delete = new ArrayList<>();
    for (int i = keepLast; i < newestFirst.size(); i++) {
      Entry entry = newestFirst.get(i);
      boolean milestone =
          entry.epochBoundary().isPresent()
              && entry.epochBoundary().getAsInt() > 0
              && entry.epochBoundary().getAsInt() % keepEveryEpochs == 0;
      if (!milestone) {
        delete.add(entry);
      }
    }
    delete.sort(Comparator.comparingLong(Entry::step));
    return delete;
  }
}
