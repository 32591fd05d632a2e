package io.rotnet.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointPayload;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.trainer.optim.MomentumState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one training run in {@code model/}'s format: each holds the parameters, the
 * optimizer's momentum ({@value #MOMENTUM_FILE}) and the loop's {@link TrainerState}, and the
 * newest one that verifies is what a restarted trainer resumes from.
 */
public final class RunCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);

  /** Extra checkpoint file with the SGD momentum buffers. */
  public static final String MOMENTUM_FILE = "optimizer-momentum.bin";

  private final Path root;
  private final String runId;
  private final CheckpointWriter writer;

  public RunCheckpoints(Path root, String runId) {
    this.root = root.toAbsolutePath().normalize();
    this.runId = runId;
    this.writer = new CheckpointWriter(this.root);
  }

  public Path root() {
    return root;
  }

  public String runId() {
    return runId;
  }

  /**
   * Loads the newest checkpoint of the run that verifies and whose trainer files parse into {@code
   * model}; older ones are tried when a newer one is broken.
   */
  public Optional<ResumePoint> resume(RotNetModel model, NDManager manager) throws IOException {
    Files.createDirectories(root);
    CheckpointReader reader = new CheckpointReader(root);
    Optional<VerifiedCheckpoint> newest = reader.latest(runId);
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    List<VerifiedCheckpoint> candidates = new ArrayList<>();
    candidates.add(newest.get());
    boolean listedAll = false;
    for (int i = 0; i < candidates.size(); i++) {
      VerifiedCheckpoint checkpoint = candidates.get(i);
      try {
        return Optional.of(load(checkpoint, model, manager));
      } catch (CheckpointException | IllegalArgumentException e) {
        LOG.warn("cannot resume from {}: {}", checkpoint.location(), e.getMessage());
        if (!listedAll) {
          listedAll = true;
          for (VerifiedCheckpoint older : reader.list(runId)) {
            if (older.manifest().step() < checkpoint.manifest().step()) {
              candidates.add(older);
            }
          }
        }
      }
    }
    throw new IOException("no checkpoint of run " + runId + " under " + root + " can be resumed");
  }

  private static ResumePoint load(
      VerifiedCheckpoint checkpoint, RotNetModel model, NDManager manager)
      throws CheckpointException {
    if (!checkpoint.manifest().spec().hasSameParametersAs(model.spec())) {
      throw new IllegalArgumentException(
          "checkpoint holds "
              + checkpoint.manifest().architecture()
              + ", the preset trains "
              + model.spec().architecture());
    }
    TrainerState state = TrainerState.fromBytes(checkpoint.readFile(TrainerState.FILE));
    MomentumState momentum;
    try {
      momentum = MomentumState.read(new ByteArrayInputStream(checkpoint.readFile(MOMENTUM_FILE)));
    } catch (IOException e) {
      throw new IllegalArgumentException("optimizer state: " + e.getMessage(), e);
    }
    CheckpointReader.loadParameters(checkpoint, model, manager);
    return new ResumePoint(
        checkpoint.location(), checkpoint.manifestSha256(), checkpoint.totalBytes(), state, momentum);
  }

  /**
   * Writes a checkpoint of the model, the optimizer and the loop's state at {@code state.step()}.
   */
  public WrittenCheckpoint write(
      RotNetModel model, ModelSpec spec, TrainerState state, MomentumState momentum)
      throws IOException {
    CheckpointMetadata.Builder metadata =
        CheckpointMetadata.builder()
            .setRunId(runId)
            .setStep(state.step())
            .optEpoch(state.epoch())
            .optImagesSeen(state.imagesSeen())
            .optPreset(state.preset());
    for (Map.Entry<TopicPartition, Long> next : state.position().nextOffsets().entrySet()) {
      metadata.addConsumedOffset(next.getKey().topic(), next.getKey().partition(), next.getValue());
    }
    Map<String, CheckpointPayload> extras = new LinkedHashMap<>();
    extras.put(MOMENTUM_FILE, momentum::write);
    extras.put(TrainerState.FILE, CheckpointPayload.ofBytes(state.toBytes()));
    try {
      return writer.write(model, spec, metadata.build(), extras);
    } catch (IOException e) {
      // the writer removed its partial directory: what is on disk is complete and verifiable
      throw new IOException("cannot write checkpoint " + runId + "/step-" + state.step() + " under " + root + " ("
          + root.toFile().getUsableSpace() / (1024 * 1024) + " MB free): " + e.getMessage()
          + "; the checkpoints written before it are complete, and a restart resumes from the newest", e);
    }
  }

  /**
   * Deletes the checkpoints the retention rule lets go, never the newest. A checkpoint whose state
   * file cannot be read is kept (it may be a milestone).
   */
  public List<Long> prune(RetentionPolicy retention) {
    List<RetentionPolicy.Entry> entries = new ArrayList<>();
    Path runDir = root.resolve(runId);
    if (!Files.isDirectory(runDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runDir)) {
      for (Path dir : dirs.sorted(Comparator.naturalOrder()).toList()) {
        OptionalLong step = CheckpointLayout.stepOf(dir);
        if (step.isEmpty()) {
          continue;
        }
        Optional<OptionalInt> boundary = epochBoundary(dir);
        if (boundary.isPresent()) {
          entries.add(new RetentionPolicy.Entry(step.getAsLong(), boundary.get()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints of " + runId, e);
    }
    List<Long> deleted = new ArrayList<>();
    for (RetentionPolicy.Entry entry : retention.toDelete(entries)) {
      Path dir = runDir.resolve(CheckpointLayout.stepDirectoryName(entry.step()));
      try {
        deleteTree(dir);
        deleted.add(entry.step());
      } catch (IOException e) {
        LOG.warn("could not delete old checkpoint {}: {}", dir, e.toString());
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("deleted checkpoints of {} at steps {}", runId, deleted);
    }
    return deleted;
  }

  private static Optional<OptionalInt> epochBoundary(Path dir) {
    try {
      return Optional.of(
          TrainerState.fromBytes(Files.readAllBytes(dir.resolve(TrainerState.FILE)))
              .epochBoundary());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("keeping checkpoint {}: its trainer state is unreadable ({})", dir, e.getMessage());
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    // Rename first so a reader never sees a half-deleted checkpoint under its real name.
    Path doomed = dir.resolveSibling(".deleting-" + dir.getFileName());
    Files.move(dir, doomed);
    try (Stream<Path> paths = Files.walk(doomed)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
