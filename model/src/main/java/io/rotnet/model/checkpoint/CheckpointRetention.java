package io.rotnet.model.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which checkpoints of a run to keep: the {@code keepLast} newest, plus the newest checkpoint of
 * every epoch that is a multiple of {@code keepEveryEpochs} (0 = none). Checkpoints that fail
 * verification are left alone for inspection.
 *
 * @param keepLast how many of the newest valid checkpoints to keep (at least 1)
 * @param keepEveryEpochs also keep the last checkpoint of every epoch divisible by this (0 = off)
 */
public record CheckpointRetention(int keepLast, int keepEveryEpochs) {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRetention.class);

  public CheckpointRetention {
    if (keepLast < 1 || keepEveryEpochs < 0) {
      throw new IllegalArgumentException(
          "keepLast must be >= 1 and keepEveryEpochs >= 0, got " + keepLast + ", " + keepEveryEpochs);
    }
  }

  /** From checkpoints ordered newest first, those this policy drops. */
  public List<VerifiedCheckpoint> toDelete(List<VerifiedCheckpoint> newestFirst) {
    Set<Integer> keptEpochs = new HashSet<>();
    List<VerifiedCheckpoint> drop = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      VerifiedCheckpoint cp = newestFirst.get(i);
      int epoch = cp.manifest().epoch();
      boolean milestone = keepEveryEpochs > 0 && epoch % keepEveryEpochs == 0 && keptEpochs.add(epoch);
      if (i >= keepLast && !milestone) {
        drop.add(cp);
      }
    }
    return drop;
  }

  /**
   * Deletes the checkpoints of {@code runId} this policy drops. Each is first renamed to a
   * dot-name (atomically), so no reader ever sees a half-deleted checkpoint under its real name.
   *
   * @return the directories removed
   */
  public List<Path> prune(CheckpointReader reader, String runId) throws IOException {
    List<Path> removed = new ArrayList<>();
    for (VerifiedCheckpoint cp : toDelete(reader.list(runId))) {
      Path dir = cp.directory();
      Path doomed = dir.resolveSibling(".deleting-" + dir.getFileName() + "-" + System.nanoTime());
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      CheckpointWriter.deleteQuietly(doomed);
      LOG.info("removed checkpoint {} (retention {})", cp.location(), this);
      removed.add(dir);
    }
    return removed;
  }
}
