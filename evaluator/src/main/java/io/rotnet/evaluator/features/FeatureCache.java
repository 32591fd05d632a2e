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
 *
 * <p>Entries of any size are {@link ShardedFeatureFile}s, read whole ({@link #read}, for the
 * SVM's datasets) or shard by shard ({@link #shards}, for ImageNet-size sets). Each use of a
 * checkpoint's features marks its directory as used; {@link #prune} keeps the most recently used
 * {@code keepCheckpoints} checkpoints (default {@value #DEFAULT_KEEP_CHECKPOINTS}) and deletes the
 * others, skipping any whose lock another evaluator holds.
 */
public final class FeatureCache {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** Checkpoints whose features are kept by default: the newest few, while older ones go. */
  public static final int DEFAULT_KEEP_CHECKPOINTS = 3;
  private static final String USED_MARKER = ".used";

  private final Path directory;
  private final int keepCheckpoints;
  private java.util.function.ToLongFunction<Path> spaceProbe = FeatureCache::usableSpaceOf;
  private final Map<Path, ReentrantLock> localLocks = new ConcurrentHashMap<>();

  public FeatureCache(Path directory) {
    this(directory, DEFAULT_KEEP_CHECKPOINTS);
  }

  /** @param keepCheckpoints how many checkpoints {@link #prune} keeps; 0 keeps all */
  public FeatureCache(Path directory, int keepCheckpoints) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    if (keepCheckpoints < 0) {
      throw new IllegalArgumentException("keepCheckpoints must be >= 0, got " + keepCheckpoints);
    }
    this.keepCheckpoints = keepCheckpoints;
  }

  public int keepCheckpoints() {
    return keepCheckpoints;
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

  /**
   * The cached matrix in one array (sets that fit one); a corrupt entry is deleted (and reported)
   * so that it gets extracted again.
   */
  public Optional<FeatureMatrix> read(Group group, String split, String tap) throws IOException {
    Optional<ShardedFeatureFile.Shards> shards = shards(group, split, tap);
    if (shards.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(shards.get().readAll());
    } catch (FeatureFile.CorruptFeatureFileException e) {
      return discard(file(group, split, tap), e);
    }
  }

  /** The cached entry, to read shard by shard or row by row; a corrupt one is deleted. */
  public Optional<ShardedFeatureFile.Shards> shards(Group group, String split, String tap) throws IOException {
    Path file = file(group, split, tap);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    markUsed(group);
    try {
      return Optional.of(ShardedFeatureFile.read(file));
    } catch (FeatureFile.CorruptFeatureFileException e) {
      return discard(file, e);
    }
  }

  private static <T> Optional<T> discard(Path file, IOException e) throws IOException {
    LOG.warn("discarding corrupt cached features {}: {}", file, e.getMessage());
    ShardedFeatureFile.delete(file);
    return Optional.empty();
  }

  /**
   * Opens a streaming writer for one tap of one split, after deleting temporary files that an
   * interrupted write left in its directory (call it holding the group's lock).
   */
  public ShardedFeatureFile.Writer writer(Group group, String split, String tap, long rows, int dims) throws IOException {
    Path file = file(group, split, tap);
    Files.createDirectories(file.getParent());
    try (var stale = Files.newDirectoryStream(file.getParent(), "." + tap + ".feat*.tmp")) {
      for (Path temporary : stale) {
        LOG.info("deleting {}, left by an interrupted write", temporary);
        Files.deleteIfExists(temporary);
      }
    }
    markUsed(group);
    return ShardedFeatureFile.open(file, rows, dims);
  }

  /** Bytes free where this cache writes (what extraction checks before each tap's file). */
  public long usableSpace() throws IOException {
    Files.createDirectories(directory);
    return spaceProbe.applyAsLong(directory);
  }

  /** The same cache with another free-space probe (tests stand in for a full disk with it). */
  FeatureCache withSpaceProbe(java.util.function.ToLongFunction<Path> probe) {
    FeatureCache copy = new FeatureCache(directory, keepCheckpoints);
    copy.spaceProbe = probe;
    return copy;
  }

  private static long usableSpaceOf(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE; // unknown: let the write itself fail with its own message
    }
  }

  /** Records that a checkpoint's features were just used (pruning keeps the most recent). */
  public void markUsed(Group group) throws IOException {
    Path marker = directory.resolve(group.checkpointSha256()).resolve(USED_MARKER);
    Files.createDirectories(marker.getParent());
    if (!Files.exists(marker)) {
      Files.createFile(marker);
    }
    Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
  }

  /**
   * Deletes the features of all but the {@code keepCheckpoints} most recently used checkpoints;
   * a checkpoint some evaluator holds a lock of is kept. Returns the checkpoints deleted.
   */
  public java.util.List<String> prune() throws IOException {
    if (keepCheckpoints == 0 || !Files.isDirectory(directory)) {
      return java.util.List.of();
    }
    java.util.List<Path> checkpoints = new java.util.ArrayList<>();
    try (var dirs = Files.newDirectoryStream(directory, Files::isDirectory)) {
      dirs.forEach(checkpoints::add);
    }
    checkpoints.sort(java.util.Comparator.comparing(FeatureCache::lastUsed).reversed());
    java.util.List<String> deleted = new java.util.ArrayList<>();
    for (Path checkpoint : checkpoints.subList(Math.min(keepCheckpoints, checkpoints.size()), checkpoints.size())) {
      if (deleteUnlessLocked(checkpoint)) {
        deleted.add(checkpoint.getFileName().toString());
        LOG.info("pruned cached features of checkpoint {} (keeping the {} most recently used)",
            checkpoint.getFileName(), keepCheckpoints);
      }
    }
    return deleted;
  }

  private static java.nio.file.attribute.FileTime lastUsed(Path checkpoint) {
    try {
      Path marker = checkpoint.resolve(USED_MARKER);
      return Files.getLastModifiedTime(Files.exists(marker) ? marker : checkpoint);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  /** Deletes a checkpoint's directory if none of its groups' locks is held. */
  private boolean deleteUnlessLocked(Path checkpoint) throws IOException {
    java.util.List<Path> lockFiles = new java.util.ArrayList<>();
    try (var groups = Files.newDirectoryStream(checkpoint, Files::isDirectory)) {
      groups.forEach(g -> lockFiles.add(g.resolve(".lock")));
    }
    java.util.List<FileChannel> channels = new java.util.ArrayList<>();
    try {
      for (Path lockFile : lockFiles) {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channels.add(channel);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          return false; // in use by an evaluator: keep it
        }
      }
      try (var paths = Files.walk(checkpoint)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
      return true;
    } finally {
      for (FileChannel channel : channels) {
        channel.close();
      }
    }
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
