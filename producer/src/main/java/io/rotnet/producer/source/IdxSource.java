package io.rotnet.producer.source;

import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.RgbImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Images from an IDX file (the MNIST / Fashion-MNIST format), gzipped or not: unsigned bytes of
 * shape [n, rows, cols] (gray) or [n, rows, cols, channels] with 1 or 3 channels. An optional
 * labels file of shape [n] supplies the labels. The pixels are held in memory, already decoded.
 */
public final class IdxSource implements ImageSource {

  private static final int UNSIGNED_BYTE = 0x08;

  private final Path imagesFile;
  private final String fileName;
  private final int count;
  private final int rows;
  private final int cols;
  private final int channels;
  private final byte[] pixels;
  private final byte[] labels;

  private IdxSource(Path imagesFile, IdxArray images, IdxArray labels) {
    this.imagesFile = imagesFile.toAbsolutePath().normalize();
    this.fileName = imagesFile.getFileName().toString();
    this.count = images.dims[0];
    this.rows = images.dims[1];
    this.cols = images.dims[2];
    this.channels = images.dims.length == 4 ? images.dims[3] : 1;
    this.pixels = images.data;
    this.labels = labels == null ? null : labels.data;
  }

  /** Reads an images file and, when given, its labels file. */
  public static IdxSource read(Path imagesFile, Path labelsFile) {
    IdxArray images = IdxArray.read(imagesFile);
    if (images.dims.length < 3 || images.dims.length > 4) {
      throw new IllegalArgumentException(
          imagesFile + ": expected IDX images of shape [n, rows, cols(, channels)], got "
              + images.dims.length + " dimensions");
    }
    if (images.dims.length == 4 && images.dims[3] != 1 && images.dims[3] != 3) {
      throw new IllegalArgumentException(imagesFile + ": expected 1 or 3 channels, got " + images.dims[3]);
    }
    IdxArray labels = labelsFile == null ? null : IdxArray.read(labelsFile);
    if (labels != null && (labels.dims.length != 1 || labels.dims[0] != images.dims[0])) {
      throw new IllegalArgumentException(
          labelsFile + ": expected " + images.dims[0] + " labels to match " + imagesFile);
    }
    return new IdxSource(imagesFile, images, labels);
  }

  /**
   * The labels file that sits beside an images file under the MNIST naming
   * ({@code train-images-idx3-ubyte.gz} -> {@code train-labels-idx1-ubyte.gz}), when present.
   */
  public static Optional<Path> siblingLabels(Path imagesFile) {
    String name = imagesFile.getFileName().toString();
    if (!name.contains("images-idx")) {
      return Optional.empty();
    }
    Path candidate =
        imagesFile.resolveSibling(name.replaceFirst("images-idx[34]", "labels-idx1"));
    return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
  }

  /** True when the file (gzipped or not) starts with the IDX magic of unsigned bytes. */
  static boolean looksLikeIdx(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      return (magic >>> 8) == UNSIGNED_BYTE && (magic & 0xFF) >= 1 && (magic & 0xFF) <= 4;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public int size() {
    return count;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  @Override
  public SourceEntry entry(int index) {
    checkIndex(index);
    String label = labels == null ? null : Integer.toString(labels[index] & 0xFF);
    return new SourceEntry(fileName + "#" + index, "idx:" + imagesFile + "#" + index, label);
  }

  /** The decoder is not needed: IDX pixels are stored raw. */
  @Override
  public RgbImage load(int index, ImageDecoder decoder) {
    checkIndex(index);
    int plane = rows * cols;
    byte[] rgb = new byte[plane * 3];
    int start = index * plane * channels;
    if (channels == 3) {
      System.arraycopy(pixels, start, rgb, 0, plane * 3);
    } else {
      for (int p = 0, o = 0; p < plane; p++) {
        byte gray = pixels[start + p];
        rgb[o++] = gray;
        rgb[o++] = gray;
        rgb[o++] = gray;
      }
    }
    return new RgbImage(cols, rows, rgb);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
  }

  @Override
  public String description() {
    return "IDX " + imagesFile + " (" + count + " images " + cols + "x" + rows
        + (labels == null ? "" : ", labelled") + ")";
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int first = raw.read();
    int second = raw.read();
    raw.reset();
    InputStream in = first == 0x1f && second == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new DataInputStream(in);
  }

  /** The header and data of one IDX file. */
  private record IdxArray(int[] dims, byte[] data) {

    static IdxArray read(Path file) {
      try (DataInputStream in = open(file)) {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
          throw new IllegalArgumentException(
              file + ": not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[magic & 0xFF];
        long total = 1;
        for (int i = 0; i < dims.length; i++) {
          dims[i] = in.readInt();
          if (dims[i] <= 0) {
            throw new IllegalArgumentException(file + ": dimension " + i + " is " + dims[i]);
          }
          total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(file + ": " + total + " bytes do not fit in memory");
        }
        byte[] data = new byte[(int) total];
        in.readFully(data);
        return new IdxArray(dims, data);
      } catch (EOFException e) {
        throw new IllegalArgumentException(file + ": truncated IDX file", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }
}
