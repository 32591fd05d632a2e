package io.rotnet.model.checkpoint;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;

/** Writes small real checkpoints for the checkpoint tests. */
final class CheckpointFixtures {

  static final ModelSpec TINY = new ModelSpec(18, 16, 32, 4);

  private CheckpointFixtures() {}

  static WrittenCheckpoint write(Path root, String runId, long step) throws IOException {
    return write(root, runId, step, TINY);
  }

  static WrittenCheckpoint write(Path root, String runId, long step, ModelSpec spec)
      throws IOException {
    Engine.getInstance().setRandomSeed((int) step);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(spec, manager);
      return new CheckpointWriter(root)
          .write(
              model,
              spec,
              CheckpointMetadata.builder()
                  .setRunId(runId)
                  .setStep(step)
                  .optEpoch((int) (step / 10))
                  .optImagesSeen(step * 64)
                  .addConsumedOffset("rotnet.images", 0, step * 16)
                  .build(),
              Map.of("optimizer.bin", CheckpointPayload.ofBytes(new byte[] {1, 2, 3, 4, 5})));
    }
  }

  /** Inverts the bits of one byte in place. */
  static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(~b & 0xff);
    }
  }
}
