package io.rotnet.trainer.optim;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The momentum buffers of {@link MomentumSgd}, by parameter name, as plain floats: what a
 * checkpoint needs to continue training with bit-identical updates.
 *
 * <p>File format (big-endian header, little-endian float payload): magic {@code RNSGD001}, entry
 * count, then per entry its UTF name, rank, dimensions, value count and values.
 */
public final class MomentumState {

  private static final long MAGIC = 0x524E_5347_4430_3031L; // "RNSGD001"
  private static final int CHUNK_FLOATS = 1 << 16;

  /** One buffer: its shape and row-major values. */
  public record Buffer(long[] shape, float[] values) {
    public Buffer {
      shape = shape.clone();
      long size = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        size *= dim;
      }
      if (size != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
      }
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Buffer b
          && Arrays.equals(shape, b.shape)
          && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Buffer" + Arrays.toString(shape);
    }
  }

  private final SortedMap<String, Buffer> buffers;

  public MomentumState(Map<String, Buffer> buffers) {
    this.buffers = Collections.unmodifiableSortedMap(new TreeMap<>(buffers));
  }

  /** No buffers yet (before the first step). */
  public static MomentumState empty() {
    return new MomentumState(Map.of());
  }

  public SortedMap<String, Buffer> buffers() {
    return buffers;
  }

  public void write(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
    out.writeLong(MAGIC);
    out.writeInt(buffers.size());
    ByteBuffer chunk =
        ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, Buffer> entry : buffers.entrySet()) {
      out.writeUTF(entry.getKey());
      long[] shape = entry.getValue().shape;
      out.writeInt(shape.length);
      for (long dim : shape) {
        out.writeLong(dim);
      }
      float[] values = entry.getValue().values;
      out.writeInt(values.length);
      for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
        int count = Math.min(CHUNK_FLOATS, values.length - from);
        chunk.clear();
        chunk.asFloatBuffer().put(values, from, count);
        out.write(chunk.array(), 0, count * Float.BYTES);
      }
    }
    out.flush();
  }

  /** Reads a state written by {@link #write}; a truncated or foreign file is an IOException. */
  public static MomentumState read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
    if (in.readLong() != MAGIC) {
      throw new IOException("not an optimizer state file (bad magic)");
    }
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("corrupt optimizer state: negative entry count " + count);
    }
    Map<String, Buffer> buffers = new TreeMap<>();
    byte[] bytes = new byte[CHUNK_FLOATS * Float.BYTES];
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      int rank = in.readInt();
      if (rank < 0 || rank > 8) {
        throw new IOException("corrupt optimizer state: rank " + rank + " for " + name);
      }
      long[] shape = new long[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = in.readLong();
      }
      int length = in.readInt();
      if (length < 0) {
        throw new IOException("corrupt optimizer state: length " + length + " for " + name);
      }
      float[] values = new float[length];
      for (int from = 0; from < length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, length - from);
        in.readFully(bytes, 0, n * Float.BYTES);
        ByteBuffer.wrap(bytes, 0, n * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(values, from, n);
      }
      try {
        buffers.put(name, new Buffer(shape, values));
      } catch (IllegalArgumentException e) {
        throw new IOException("corrupt optimizer state for " + name + ": " + e.getMessage(), e);
      }
    }
    return new MomentumState(buffers);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MomentumState s && buffers.equals(s.buffers);
  }

  @Override
  public int hashCode() {
    return buffers.hashCode();
  }
}
