package io.rotnet.evaluator.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Real tiny checkpoints, their events, and a tiny IDX dataset whose classes look different. */
public final class Fixtures {
  /** ResNet-18 with an 8-channel stem at 32 px: every tap exists and extraction is fast. */
  public static final ModelSpec TINY = new ModelSpec(18, 8, 32, 4);

  private Fixtures() {}

  public static WrittenCheckpoint checkpoint(Path root, String runId, long step) throws IOException {
    Engine.getInstance().setRandomSeed((int) step);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(TINY, manager);
      return new CheckpointWriter(root).write(model, TINY,
          CheckpointMetadata.builder().setRunId(runId).setStep(step).optEpoch(1).optImagesSeen(step * 64).build());
    }
  }

  /** The event the trainer publishes for a written checkpoint. */
  public static CheckpointEvent event(WrittenCheckpoint checkpoint) {
    return event(checkpoint, checkpoint.location(), checkpoint.manifestSha256());
  }

  public static CheckpointEvent event(WrittenCheckpoint checkpoint, String uri, String sha256) {
    var manifest = checkpoint.manifest();
    return CheckpointEvent.newBuilder()
        .setCheckpointId(manifest.runId() + "-step-" + manifest.step())
        .setRunId(manifest.runId())
        .setStep(manifest.step())
        .setEpoch(manifest.epoch())
        .setImagesSeen(manifest.step() * 64)
        .setUri(uri)
        .setSha256(sha256)
        .setSizeBytes(checkpoint.totalBytes())
        .setArchitecture(TINY.architecture())
        .setInputSize(TINY.inputSize())
        .setPreset("test")
        .setPretextLoss(1.0)
        .setPretextAccuracy(0.25)
        .setConsumedOffsets(List.of())
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + manifest.step()))
        .build();
  }

  /**
   * An IDX dataset of 16x16 images in three classes that differ plainly (dark, bright, striped),
   * with some noise: even a random network's features separate them.
   */
  public static Path idxDataset(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    writeSplit(dir, "train", train, 1);
    writeSplit(dir, "t10k", test, 2);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, int count, long seed) throws IOException {
    java.util.Random random = new java.util.Random(seed);
    int side = 16;
    ByteArrayOutputStream images = new ByteArrayOutputStream();
    DataOutputStream img = new DataOutputStream(images);
    img.writeInt(0x803);
    img.writeInt(count);
    img.writeInt(side);
    img.writeInt(side);
    ByteArrayOutputStream labels = new ByteArrayOutputStream();
    DataOutputStream lab = new DataOutputStream(labels);
    lab.writeInt(0x801);
    lab.writeInt(count);
    for (int i = 0; i < count; i++) {
      int label = i % 3;
      lab.writeByte(label);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int base = label == 0 ? 30 : label == 1 ? 220 : ((x / 2) % 2 == 0 ? 250 : 10);
          int v = Math.max(0, Math.min(255, base + (int) (random.nextGaussian() * 12)));
          img.writeByte(v);
        }
      }
    }
    write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images.toByteArray());
    write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels.toByteArray());
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(bytes);
    }
  }
}
