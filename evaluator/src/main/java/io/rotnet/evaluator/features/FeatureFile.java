package io.rotnet.evaluator.features;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one feature matrix: an 16-byte header (magic {@code RNFEAT01}, rows, dims as
 * little-endian ints), the values as little-endian float32, row after row, and a CRC32C of the
 * values as the last 8 bytes. Files are written under a temporary name, forced to disk and
 * renamed into place, so a reader sees either no file or a complete one; a file whose size or
 * checksum is wrong is reported as corrupt.
 */
public final class FeatureFile {
  private static final byte[] MAGIC = {'R', 'N', 'F', 'E', 'A', 'T', '0', '1'};
  private static final int HEADER_BYTES = 16;
  private static final int TRAILER_BYTES = 8;
  private static final int CHUNK_FLOATS = 1 << 22;

  private FeatureFile() {}

  /** Writes a whole matrix atomically. */
  public static void write(Path file, FeatureMatrix matrix) throws IOException {
    try (Writer writer = Writer.open(file, matrix.rows(), matrix.dims())) {
      writer.append(matrix.rawData(), 0, matrix.rows());
      writer.commit();
    }
  }

  /** Reads a matrix, checking size and checksum. */
  public static FeatureMatrix read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, header, file);
      header.flip();
      byte[] magic = new byte[MAGIC.length];
      header.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new CorruptFeatureFileException(file + " is not a feature file");
      }
      int rows = header.getInt();
      int dims = header.getInt();
      long expectedSize = HEADER_BYTES + 4L * rows * dims + TRAILER_BYTES;
      if (rows < 0 || dims <= 0 || channel.size() != expectedSize) {
        throw new CorruptFeatureFileException(
            file + " has " + channel.size() + " bytes, its header (" + rows + "x" + dims + ") needs " + expectedSize);
      }
      float[] data = new float[Math.toIntExact((long) rows * dims)];
      CRC32C crc = new CRC32C();
      ByteBuffer chunk = ByteBuffer.allocateDirect(4 * Math.min(CHUNK_FLOATS, Math.max(1, data.length)))
          .order(ByteOrder.LITTLE_ENDIAN);
      int done = 0;
      while (done < data.length) {
        int n = Math.min(CHUNK_FLOATS, data.length - done);
        chunk.clear().limit(4 * n);
        readFully(channel, chunk, file);
        chunk.flip();
        crc.update(chunk.duplicate());
        chunk.asFloatBuffer().get(data, done, n);
        done += n;
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, trailer, file);
      trailer.flip();
      if (trailer.getLong() != crc.getValue()) {
        throw new CorruptFeatureFileException(file + " fails its checksum");
      }
      return FeatureMatrix.wrap(rows, dims, data);
    }
  }

  /**
   * The checksum a complete file of this shape records in its trailer, read without reading the
   * values: a cheap identity check for a shard an index names.
   */
  static long recordedChecksum(Path file, int rows, int dims) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long expectedSize = HEADER_BYTES + 4L * rows * dims + TRAILER_BYTES;
      if (channel.size() != expectedSize) {
        throw new CorruptFeatureFileException(file + " has " + channel.size() + " bytes, expected " + expectedSize);
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      channel.position(expectedSize - TRAILER_BYTES);
      readFully(channel, trailer, file);
      return trailer.flip().getLong();
    }
  }

  /** Whether the file starts with this format's magic. */
  static boolean hasMagic(byte[] firstBytes) {
    return firstBytes.length >= MAGIC.length && java.util.Arrays.equals(firstBytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /**
   * Reads the given rows (ascending or not) by positional reads, without reading the rest; the
   * checksum is not verified (the caller checked the file's identity).
   */
  static void readRows(Path file, int dims, int[] rows, float[] out, int outOffset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer row = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < rows.length; i++) {
        row.clear();
        long position = HEADER_BYTES + 4L * rows[i] * dims;
        while (row.hasRemaining()) {
          if (channel.read(row, position + row.position()) < 0) {
            throw new CorruptFeatureFileException(file + " ends early");
          }
        }
        row.flip();
        row.asFloatBuffer().get(out, outOffset + i * dims, dims);
      }
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, Path file) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new CorruptFeatureFileException(file + " ends early");
      }
    }
  }

  /** A feature file that exists but cannot be trusted. */
  public static final class CorruptFeatureFileException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptFeatureFileException(String message) {
      super(message);
    }
  }

  /**
   * Streams rows into a temporary file next to the target; {@link #commit} renames it into place
   * once every row is written, {@link #close} without commit deletes it.
   */
  public static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final int rows;
    private final int dims;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer chunk;
    private int written;
    private boolean committed;

    private Writer(Path target, Path temporary, FileChannel channel, int rows, int dims) {
      this.target = target;
      this.temporary = temporary;
      this.channel = channel;
      this.rows = rows;
      this.dims = dims;
      this.chunk = ByteBuffer.allocateDirect(4 * (int) Math.max(dims, Math.min(CHUNK_FLOATS, (long) rows * dims)))
          .order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Writer open(Path target, int rows, int dims) throws IOException {
      if (rows < 0 || dims <= 0) {
        throw new IllegalArgumentException("bad feature shape " + rows + "x" + dims);
      }
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      header.put(MAGIC).putInt(rows).putInt(dims).flip();
      while (header.hasRemaining()) {
        channel.write(header);
      }
      return new Writer(target, temporary, channel, rows, dims);
    }

    /** Appends {@code count} rows stored row-major in {@code values} from row {@code firstRow}. */
    public void append(float[] values, int firstRow, int count) throws IOException {
      if (written + count > rows) {
        throw new IllegalStateException("writing " + (written + count) + " rows into a file of " + rows);
      }
      int from = Math.multiplyExact(firstRow, dims);
      int total = Math.multiplyExact(count, dims);
      int done = 0;
      while (done < total) {
        int n = Math.min(chunk.capacity() / 4, total - done);
        chunk.clear();
        chunk.asFloatBuffer().put(values, from + done, n);
        chunk.limit(4 * n);
        crc.update(chunk.duplicate());
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
        done += n;
      }
      written += count;
    }

    /** Writes the checksum, forces the file to disk and renames it over the target. */
    public void commit() throws IOException {
      if (written != rows) {
        throw new IllegalStateException("only " + written + " of " + rows + " rows written to " + target);
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      trailer.putLong(crc.getValue()).flip();
      while (trailer.hasRemaining()) {
        channel.write(trailer);
      }
      channel.force(true);
      channel.close();
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
    }

    /** CRC32C of the values written so far (after {@link #commit}: of the whole file). */
    public long checksum() {
      return crc.getValue();
    }

    public Path target() {
      return target;
    }

    @Override
    public void close() throws IOException {
      if (channel.isOpen()) {
        channel.close();
      }
      if (!committed) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
