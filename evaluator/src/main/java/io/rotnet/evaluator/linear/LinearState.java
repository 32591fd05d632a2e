package io.rotnet.evaluator.linear;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where a streamed linear evaluation stands: every head's arrays, the epoch and the next batch in
 * it, the loss so far and the unreadable training images. Written to a temporary file and moved
 * into place, so a process killed while saving leaves the previous state whole; the key of the
 * run is stored with it and a state of another run is never taken.
 */
final class LinearState {
  private static final int MAGIC = 0x524c4e31; // "RLN1"
  private static final String FILE = "state.bin";

  final String key;
  int epoch;
  int nextBatch;
  /** Per head: the epoch's loss sum so far; per head and finished epoch: its mean loss. */
  double[] epochLossSum;
  long epochImages;
  final List<double[]> epochLoss = new ArrayList<>();
  final SortedSet<Integer> unreadableTrain = new TreeSet<>();
  /** Per head: weight, bias, their velocities, running mean, running variance. */
  float[][][] heads;

  LinearState(String key, int headCount) {
    this.key = key;
    this.epochLossSum = new double[headCount];
  }

  static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeUTF(key);
      out.writeInt(epoch);
      out.writeInt(nextBatch);
      out.writeLong(epochImages);
      writeDoubles(out, epochLossSum);
      out.writeInt(epochLoss.size());
      for (double[] loss : epochLoss) {
        writeDoubles(out, loss);
      }
      out.writeInt(unreadableTrain.size());
      for (int index : unreadableTrain) {
        out.writeInt(index);
      }
      out.writeInt(heads.length);
      for (float[][] head : heads) {
        out.writeInt(head.length);
        for (float[] array : head) {
          out.writeInt(array.length);
          for (float v : array) {
            out.writeFloat(v);
          }
        }
      }
    }
    try {
      Files.move(tmp, file(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file(dir), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The saved state of run {@code key}, if there is one. */
  static Optional<LinearState> load(Path dir, String key) throws IOException {
    return read(dir).filter(state -> state.key.equals(key));
  }

  /** Whatever state is saved in {@code dir}. */
  static Optional<LinearState> read(Path dir) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(dir)), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file(dir) + " is not a linear-evaluation state");
      }
      String key = in.readUTF();
      int epoch = in.readInt();
      int nextBatch = in.readInt();
      long images = in.readLong();
      double[] lossSum = readDoubles(in);
      LinearState state = new LinearState(key, lossSum.length);
      state.epoch = epoch;
      state.nextBatch = nextBatch;
      state.epochImages = images;
      state.epochLossSum = lossSum;
      int finished = in.readInt();
      for (int e = 0; e < finished; e++) {
        state.epochLoss.add(readDoubles(in));
      }
      int unreadable = in.readInt();
      for (int i = 0; i < unreadable; i++) {
        state.unreadableTrain.add(in.readInt());
      }
      state.heads = new float[in.readInt()][][];
      for (int h = 0; h < state.heads.length; h++) {
        state.heads[h] = new float[in.readInt()][];
        for (int a = 0; a < state.heads[h].length; a++) {
          float[] array = new float[in.readInt()];
          for (int i = 0; i < array.length; i++) {
            array[i] = in.readFloat();
          }
          state.heads[h][a] = array;
        }
      }
      return Optional.of(state);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  private static double[] readDoubles(DataInputStream in) throws IOException {
    double[] values = new double[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }
}
