package io.rotnet.model.checkpoint;

import ai.djl.nn.Block;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoints atomically: every file goes into a dot-named directory next to the final
 * one, each file and the directory are fsynced, then one rename publishes {@code
 * <root>/<runId>/step-<step>}. A crash leaves at most a dot-named leftover that readers ignore,
 * never a half checkpoint under a real name.
 */
public final class CheckpointWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

  private final Path root;
  private final Clock clock;

  public CheckpointWriter(Path root) {
    this(root, Clock.systemUTC());
  }

  /** With a clock for {@code createdAt}. */
  public CheckpointWriter(Path root, Clock clock) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Path root() {
    return root;
  }

  /** Writes the model's parameters (BN running statistics included) and a manifest. */
  public WrittenCheckpoint write(Block model, ModelSpec spec, CheckpointMetadata metadata)
      throws IOException {
    return write(model, spec, metadata, Map.of());
  }

  /**
   * Writes the model's parameters, the caller's extra files (e.g. optimizer state) and the
   * manifest, then publishes the directory with one atomic rename.
   *
   * @param extraFiles plain file names (not {@code parameters.bin} or {@code manifest.json}) to
   *     their content, written in iteration order
   * @throws FileAlreadyExistsException if this run already has a checkpoint at this step
   */
  public WrittenCheckpoint write(
      Block model,
      ModelSpec spec,
      CheckpointMetadata metadata,
      Map<String, CheckpointPayload> extraFiles)
      throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(spec, "spec");
    if (model instanceof RotNetModel rotNet && !rotNet.spec().hasSameParametersAs(spec)) {
      throw new IllegalArgumentException(
          "model is " + rotNet.spec().architecture() + " but the manifest would say "
              + spec.architecture());
    }
    Map<String, CheckpointPayload> extras = new LinkedHashMap<>(extraFiles);
    for (String name : extras.keySet()) {
      CheckpointLayout.requireSafeName("extra file name", name);
      if (name.equals(CheckpointLayout.PARAMETERS_FILE)
          || name.equals(CheckpointLayout.MANIFEST_FILE)) {
        throw new IllegalArgumentException("extra file name is reserved: " + name);
      }
    }
    Path runDir = root.resolve(metadata.runId());
    Path target = runDir.resolve(CheckpointLayout.stepDirectoryName(metadata.step()));
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "checkpoint already exists");
    }
    boolean newRunDir = !Files.isDirectory(runDir);
    Files.createDirectories(runDir);
    Path partial =
        Files.createTempDirectory(
            runDir,
            CheckpointLayout.PARTIAL_PREFIX
                + CheckpointLayout.stepDirectoryName(metadata.step())
                + "-");
    try {
      List<CheckpointFile> files = new ArrayList<>();
      files.add(
          writeFile(partial, CheckpointLayout.PARAMETERS_FILE, out -> saveParameters(model, out)));
      for (Map.Entry<String, CheckpointPayload> extra : extras.entrySet()) {
        files.add(writeFile(partial, extra.getKey(), extra.getValue()));
      }
      CheckpointManifest manifest =
          new CheckpointManifest(
              CheckpointManifest.FORMAT_VERSION, spec, metadata, clock.instant(), files);
      byte[] manifestJson = manifest.toJson();
      writeFile(partial, CheckpointLayout.MANIFEST_FILE, out -> out.write(manifestJson));
      fsyncDirectory(partial);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(runDir);
      if (newRunDir) {
        fsyncDirectory(root);
      }
      long total = manifest.filesBytes() + manifestJson.length;
      String manifestSha = Sha256.of(manifestJson);
      LOG.info("checkpoint {} written ({} bytes, manifest sha256 {})", target, total, manifestSha);
      return new WrittenCheckpoint(
          target,
          CheckpointLayout.relativeLocation(metadata.runId(), metadata.step()),
          manifestSha,
          total,
          manifest);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    }
  }

  private static void saveParameters(Block model, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    model.saveParameters(data);
    data.flush();
  }

  /** Writes one file, fsyncs it and returns its manifest entry. */
  private static CheckpointFile writeFile(Path dir, String name, CheckpointPayload payload)
      throws IOException {
    Path file = dir.resolve(name);
    MessageDigest digest = Sha256.newDigest();
    long size;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      CountingOutputStream counting =
          new CountingOutputStream(
              new DigestOutputStream(
                  new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), digest));
      payload.writeTo(counting);
      counting.flush();
      size = counting.count();
      channel.force(true);
    }
    return new CheckpointFile(name, Sha256.hex(digest), size);
  }

  /** Makes a directory's entries durable (Linux allows fsync on a directory opened for read). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // some platforms refuse to open directories; the rename is still atomic there
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove partial checkpoint {}: {}", dir, e.toString());
    }
  }

  /** Counts bytes on their way to the file. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() {
      // the channel is closed by its owner
    }

    long count() {
      return count;
    }
  }
}
