package io.rotnet.evaluator.features;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.FeatureShards;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A feature matrix of any size on disk. An entry whose rows fit one shard is a plain
 * {@link FeatureFile}; a larger one is a set of shard files ({@code <entry>.00000.shard}, ...,
 * each a {@link FeatureFile} of at most {@code shardRows} rows) and, at the entry's own path, an
 * index: magic {@code RNSHRD01}, rows (int64), dims, shard rows, shard count, each shard's
 * checksum, and a CRC32C of all that, little-endian. Shards are committed as they fill; the index
 * is written last, under a temporary name, forced and renamed into place, so an interrupted write
 * (crash, full disk) leaves no entry: shards without an index are never read, and a shard that an
 * index does not name by its checksum is reported as corrupt.
 */
public final class ShardedFeatureFile {
  private static final byte[] MAGIC = {'R', 'N', 'S', 'H', 'R', 'D', '0', '1'};
  /** 64 Mi floats (256 MiB) per shard by default: 32,768 rows at 2,048 dims. */
  private static final int DEFAULT_SHARD_FLOATS = 1 << 26;

  private ShardedFeatureFile() {}

  /** Rows per shard for rows of {@code dims} values: 256 MiB of floats. */
  public static int defaultShardRows(int dims) {
    return Math.max(1, DEFAULT_SHARD_FLOATS / dims);
  }

  /** The file of shard {@code index} of an entry. */
  public static Path shardPath(Path entry, int index) {
    return entry.resolveSibling(entry.getFileName() + String.format(Locale.ROOT, ".%05d.shard", index));
  }

  /** Opens a streaming writer with the default shard size. */
  public static Writer open(Path entry, long rows, int dims) throws IOException {
    return open(entry, rows, dims, defaultShardRows(dims));
  }

  public static Writer open(Path entry, long rows, int dims, int shardRows) throws IOException {
    if (rows < 0 || dims <= 0 || shardRows <= 0) {
      throw new IllegalArgumentException("bad feature shape " + rows + "x" + dims + " in shards of " + shardRows);
    }
    if ((long) shardRows * dims > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(shardRows + " rows of " + dims + " do not fit one shard array");
    }
    Files.createDirectories(entry.getParent());
    return new Writer(entry, rows, dims, shardRows);
  }

  /** Opens an entry (plain feature file or shard index), checking every shard's identity. */
  public static Shards read(Path entry) throws IOException {
    byte[] magic;
    try (InputStream in = Files.newInputStream(entry)) {
      magic = in.readNBytes(MAGIC.length);
    }
    if (FeatureFile.hasMagic(magic)) {
      FeatureMatrix whole = FeatureFile.read(entry);
      return new Shards(entry, whole.rows(), whole.dims(), Math.max(1, whole.rows()), new long[0], whole);
    }
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new FeatureFile.CorruptFeatureFileException(entry + " is neither a feature file nor a shard index");
    }
    ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(entry)).order(ByteOrder.LITTLE_ENDIAN);
    if (index.remaining() < MAGIC.length + 20 + 8) {
      throw new FeatureFile.CorruptFeatureFileException(entry + " is a truncated shard index");
    }
    index.position(MAGIC.length);
    long rows = index.getLong();
    int dims = index.getInt();
    int shardRows = index.getInt();
    int count = index.getInt();
    long expectedCount = rows == 0 ? 0 : (rows + shardRows - 1) / shardRows;
    if (rows < 0 || dims <= 0 || shardRows <= 0 || count != expectedCount
        || index.capacity() != MAGIC.length + 20 + 8L * count + 8) {
      throw new FeatureFile.CorruptFeatureFileException(entry + " has an inconsistent shard index");
    }
    long[] checksums = new long[count];
    for (int s = 0; s < count; s++) {
      checksums[s] = index.getLong();
    }
    CRC32C crc = new CRC32C();
    crc.update(index.array(), 0, index.position());
    if (index.getLong() != crc.getValue()) {
      throw new FeatureFile.CorruptFeatureFileException(entry + " fails its index checksum");
    }
    Shards shards = new Shards(entry, rows, dims, shardRows, checksums, null);
    for (int s = 0; s < count; s++) {
      Path file = shardPath(entry, s);
      if (!Files.isRegularFile(file)
          || FeatureFile.recordedChecksum(file, shards.shardRows(s), dims) != checksums[s]) {
        throw new FeatureFile.CorruptFeatureFileException(file + " is missing or not the shard " + entry + " names");
      }
    }
    return shards;
  }

  /** Deletes an entry and its shards. */
  public static void delete(Path entry) throws IOException {
    Files.deleteIfExists(entry);
    for (int s = 0; Files.deleteIfExists(shardPath(entry, s)); s++) {
      // shards are numbered from 0 without gaps
    }
  }

  /** The shards of one entry; each {@link #shard} read is checked against its checksum. */
  public static final class Shards implements FeatureShards {
    private final Path entry;
    private final long rows;
    private final int dims;
    private final int shardRows;
    private final long[] checksums;
    private final FeatureMatrix single;

    private Shards(Path entry, long rows, int dims, int shardRows, long[] checksums, FeatureMatrix single) {
      this.entry = entry;
      this.rows = rows;
      this.dims = dims;
      this.shardRows = shardRows;
      this.checksums = checksums;
      this.single = single;
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public int dims() {
      return dims;
    }

    @Override
    public int shardCount() {
      return single != null ? 1 : checksums.length;
    }

    @Override
    public long start(int shard) {
      return (long) shard * shardRows;
    }

    @Override
    public int shardRows(int shard) {
      return (int) Math.min(shardRows, rows - start(shard));
    }

    @Override
    public FeatureMatrix shard(int shard) throws IOException {
      if (single != null) {
        return single;
      }
      Path file = shardPath(entry, shard);
      FeatureMatrix matrix = FeatureFile.read(file);
      if (matrix.rows() != shardRows(shard) || matrix.dims() != dims) {
        throw new FeatureFile.CorruptFeatureFileException(file + " has the wrong shape for " + entry);
      }
      return matrix;
    }

    /** Every row in one matrix: only for sets that fit one Java array (the SVM's datasets). */
    public FeatureMatrix readAll() throws IOException {
      if (single != null) {
        return single;
      }
      if (rows * dims > Integer.MAX_VALUE - 8) {
        throw new IOException(entry + " holds " + rows + " x " + dims
            + " values, more than one array; read it shard by shard (FeatureShards)");
      }
      float[] data = new float[(int) (rows * dims)];
      for (int s = 0; s < shardCount(); s++) {
        FeatureMatrix part = shard(s);
        System.arraycopy(part.rawData(), 0, data, (int) (start(s) * dims), part.rawData().length);
      }
      return FeatureMatrix.wrap((int) rows, dims, data);
    }

    /**
     * Only the given rows (global indices, any order), read by positional reads from their shards:
     * what a low-shot draw or a sample needs, without reading the rest.
     */
    public FeatureMatrix readRows(long[] indices) throws IOException {
      float[] out = new float[Math.multiplyExact(indices.length, dims)];
      if (single != null) {
        for (int i = 0; i < indices.length; i++) {
          System.arraycopy(single.rawData(), Math.toIntExact(indices[i] * dims), out, i * dims, dims);
        }
        return FeatureMatrix.wrap(indices.length, dims, out);
      }
      for (int i = 0; i < indices.length; i++) {
        if (indices[i] < 0 || indices[i] >= rows) {
          throw new IndexOutOfBoundsException("row " + indices[i] + " of " + rows);
        }
        int shard = (int) (indices[i] / shardRows);
        FeatureFile.readRows(shardPath(entry, shard), dims, new int[] {(int) (indices[i] - start(shard))}, out, i * dims);
      }
      return FeatureMatrix.wrap(indices.length, dims, out);
    }
  }

  /**
   * Streams rows into shards; {@link #commit} writes the index once every row is in, {@link
   * #close} without commit deletes what was written. Write failures name the entry and the free
   * space left on its disk.
   */
  public static final class Writer implements AutoCloseable {
    private final Path entry;
    private final long rows;
    private final int dims;
    private final int shardRows;
    private final boolean sharded;
    private final long[] checksums;
    private FeatureFile.Writer current;
    private int shard = -1;
    private long written;
    private boolean committed;

    private Writer(Path entry, long rows, int dims, int shardRows) {
      this.entry = entry;
      this.rows = rows;
      this.dims = dims;
      this.shardRows = shardRows;
      this.sharded = rows > shardRows;
      this.checksums = new long[sharded ? (int) ((rows + shardRows - 1) / shardRows) : 0];
    }

    public long rows() {
      return rows;
    }

    /** Appends {@code count} rows stored row-major in {@code values} from row {@code firstRow}. */
    public void append(float[] values, int firstRow, int count) throws IOException {
      if (written + count > rows) {
        throw new IllegalStateException("writing " + (written + count) + " rows into an entry of " + rows);
      }
      try {
        int done = 0;
        while (done < count) {
          if (current == null) {
            openNextShard();
          }
          long shardEnd = sharded ? Math.min(rows, (long) (shard + 1) * shardRows) : rows;
          int n = (int) Math.min(count - done, shardEnd - written);
          current.append(values, firstRow + done, n);
          done += n;
          written += n;
          if (written == shardEnd && sharded) {
            current.commit();
            checksums[shard] = current.checksum();
            current.close();
            current = null;
          }
        }
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private void openNextShard() throws IOException {
      if (!sharded) {
        shard = 0;
        current = FeatureFile.Writer.open(entry, (int) rows, dims);
        return;
      }
      shard++;
      int n = (int) Math.min(shardRows, rows - (long) shard * shardRows);
      current = FeatureFile.Writer.open(shardPath(entry, shard), n, dims);
    }

    /** Commits the last shard and writes the index: from now on the entry is trusted. */
    public void commit() throws IOException {
      if (written != rows) {
        throw new IllegalStateException("only " + written + " of " + rows + " rows written to " + entry);
      }
      try {
        if (!sharded) {
          if (current == null) {
            openNextShard(); // zero rows
          }
          current.commit();
          committed = true;
          return;
        }
        writeIndex();
        committed = true;
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private void writeIndex() throws IOException {
      ByteBuffer index = ByteBuffer.allocate(MAGIC.length + 20 + 8 * checksums.length + 8).order(ByteOrder.LITTLE_ENDIAN);
      index.put(MAGIC).putLong(rows).putInt(dims).putInt(shardRows).putInt(checksums.length);
      for (long checksum : checksums) {
        index.putLong(checksum);
      }
      CRC32C crc = new CRC32C();
      crc.update(index.array(), 0, index.position());
      index.putLong(crc.getValue()).flip();
      Path temporary = Files.createTempFile(entry.getParent(), "." + entry.getFileName() + ".", ".tmp");
      try {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          while (index.hasRemaining()) {
            channel.write(index);
          }
          channel.force(true);
        }
        Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    }

    private IOException failed(IOException e) {
      long free = -1;
      try {
        free = Files.getFileStore(entry.getParent()).getUsableSpace();
      } catch (IOException ignored) {
        // the message goes without the free space
      }
      return new IOException("writing features to " + entry + " failed after " + written + " of " + rows
          + " rows (" + (free >= 0 ? (free >> 20) + " MiB free on its disk" : "free space unknown")
          + "; a full disk stops the evaluation, nothing partial is kept): " + e.getMessage(), e);
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
      if (!committed && sharded) {
        for (int s = 0; s <= shard; s++) {
          Files.deleteIfExists(shardPath(entry, s));
        }
      }
    }
  }
}
