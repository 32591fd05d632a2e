package io.rotnet.evaluator.features;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracted features on local disk, one {@link FeatureFile} per (checkpoint, dataset, split, tap):
 * {@code <dir>/<checkpoint sha256>/<dataset>-<fingerprint>-<view>/<split>/<tap>.feat}. Several
 * benchmarks (threads or processes) evaluating the same checkpoint take the group's lock in turn,
 * so the first extracts and the others read. The lock only saves work: files appear by atomic
 * rename, so even two extractions racing would leave one complete, identical file.
 */
public final class FeatureCache {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Path directory;
  private final Map<Path, ReentrantLock> localLocks = new ConcurrentHashMap<>();

  public FeatureCache(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /**
   * What a set of features depends on.
   *
   * @param checkpointSha256 the checkpoint's identity (its manifest hash)
   * @param view the preprocessing, as {@code Preprocessing.describe()} writes it
   */
  public record Group(String checkpointSha256, String datasetName, String datasetFingerprint, String view) {
    public Group {
      requireSafe("checkpoint sha256", checkpointSha256);
      requireSafe("dataset name", datasetName);
      requireSafe("dataset fingerprint", datasetFingerprint);
      Objects.requireNonNull(view, "view");
    }

    String relativeDirectory() {
      return checkpointSha256 + "/" + datasetName + "-" + datasetFingerprint + "-" + shortHash(view);
    }
  }

  public Path file(Group group, String split, String tap) {
    requireSafe("split", split);
    requireSafe("tap", tap);
    return groupDirectory(group).resolve(split).resolve(tap + ".feat");
  }

  public boolean contains(Group group, String split, String tap) {
    return Files.isRegularFile(file(group, split, tap));
  }

  /** The cached matrix; a corrupt file is deleted (and reported) so that it gets extracted again. */
  public Optional<FeatureMatrix> read(Group group, String split, String tap) throws IOException {
    Path file = file(group, split, tap);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(FeatureFile.read(file));
    } catch (FeatureFile.CorruptFeatureFileException e) {
      LOG.warn("discarding corrupt cached features {}: {}", file, e.getMessage());
      Files.deleteIfExists(file);
      return Optional.empty();
    }
  }

  /** Opens a streaming writer for one tap of one split. */
  public FeatureFile.Writer writer(Group group, String split, String tap, int rows, int dims) throws IOException {
    return FeatureFile.Writer.open(file(group, split, tap), rows, dims);
  }

  /**
   * Runs {@code action} holding the group's lock: an in-process lock for threads of this cache,
   * then an OS file lock for other processes (and other caches in this JVM, which are polled).
   */
  public <T> T locked(Group group, LockedAction<T> action) throws IOException, InterruptedException {
    Path dir = groupDirectory(group);
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(".lock");
    ReentrantLock local = localLocks.computeIfAbsent(lockFile, p -> new ReentrantLock());
    local.lockInterruptibly();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = acquire(channel, lockFile);
      try {
        return action.run();
      } finally {
        lock.release();
      }
    } finally {
      local.unlock();
    }
  }

  private static FileLock acquire(FileChannel channel, Path lockFile) throws IOException, InterruptedException {
    boolean logged = false;
    while (true) {
      try {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return lock;
        }
      } catch (OverlappingFileLockException e) {
        // another FeatureCache of this JVM holds it: wait like for another process
      }
      if (!logged) {
        LOG.info("waiting for another evaluator extracting into {}", lockFile.getParent());
        logged = true;
      }
      LockSupport.parkNanos(LOCK_RETRY_NANOS);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for " + lockFile);
      }
    }
  }

  private Path groupDirectory(Group group) {
    return directory.resolve(group.relativeDirectory());
  }

  private static void requireSafe(String what, String value) {
    if (value == null || !SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match " + SAFE + ", got '" + value + "'");
    }
  }

  private static String shortHash(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Work done under a group's lock. */
  @FunctionalInterface
  public interface LockedAction<T> {
    T run() throws IOException, InterruptedException;
  }
}
