package io.rotnet.evaluator.dataset;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-style IDX files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally gzipped
 * ({@code .gz}). Images are unsigned bytes, gray; labels are class indices. The classes are named
 * by their index unless {@code classNames} is given (Fashion-MNIST: {@link #FASHION_MNIST}).
 */
public final class IdxDataset {
  /** Fashion-MNIST's class names in label order. */
  public static final List<String> FASHION_MNIST = List.of(
      "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxDataset() {}

  /** Opens the four files under {@code root}; class names from labels unless given. */
  public static EvalDataset open(String name, Path root, List<String> classNames) {
    Path trainImages = find(root, "train-images-idx3-ubyte");
    Path trainLabels = find(root, "train-labels-idx1-ubyte");
    Path testImages = find(root, "t10k-images-idx3-ubyte");
    Path testLabels = find(root, "t10k-labels-idx1-ubyte");
    Images train = readImages(trainImages);
    Images test = readImages(testImages);
    int[] trainLabelValues = readLabels(trainLabels, train.count);
    int[] testLabelValues = readLabels(testLabels, test.count);
    int maxLabel = Math.max(max(trainLabelValues), max(testLabelValues));
    List<String> classes = classNames;
    if (classes == null || classes.isEmpty()) {
      classes = new ArrayList<>();
      for (int c = 0; c <= maxLabel; c++) {
        classes.add(Integer.toString(c));
      }
    } else if (maxLabel >= classes.size()) {
      throw new DatasetException(
          root + ": label " + maxLabel + " but only " + classes.size() + " class names");
    }
    Fingerprint fingerprint = new Fingerprint("idx", root);
    fingerprint.addFiles(List.of(trainImages, trainLabels, testImages, testLabels));
    return new EvalDataset(
        name,
        DatasetSplit.singleLabel(name + "/train", new IdxImages("train", train), classes, trainLabelValues),
        DatasetSplit.singleLabel(name + "/test", new IdxImages("t10k", test), classes, testLabelValues),
        fingerprint.value());
  }

  private static Path find(Path root, String base) {
    Path plain = root.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = root.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new DatasetException("IDX dataset " + root + " has neither " + base + " nor " + base + ".gz");
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return new DataInputStream(in);
  }

  private static Images readImages(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new DatasetException(file + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE) {
        throw new DatasetException(file + " has an impossible shape " + count + "x" + rows + "x" + cols);
      }
      byte[] pixels = new byte[count * rows * cols];
      in.readFully(pixels);
      return new Images(count, rows, cols, pixels);
    } catch (EOFException e) {
      throw new DatasetException(file + " is truncated", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int[] readLabels(Path file, int expected) {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new DatasetException(file + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      if (count != expected) {
        throw new DatasetException(file + " has " + count + " labels for " + expected + " images");
      }
      byte[] raw = new byte[count];
      in.readFully(raw);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    } catch (EOFException e) {
      throw new DatasetException(file + " is truncated", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int max(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private record Images(int count, int rows, int cols, byte[] pixels) {}

  /** Gray images decoded from memory. */
  private static final class IdxImages implements ImageSource {
    private final String prefix;
    private final Images images;

    IdxImages(String prefix, Images images) {
      this.prefix = prefix;
      this.images = images;
    }

    @Override
    public int size() {
      return images.count;
    }

    @Override
    public BufferedImage read(int index) {
      BufferedImage image = new BufferedImage(images.cols, images.rows, BufferedImage.TYPE_INT_RGB);
      int area = images.rows * images.cols;
      int[] rgb = new int[area];
      for (int i = 0; i < area; i++) {
        int v = images.pixels[index * area + i] & 0xff;
        rgb[i] = (v << 16) | (v << 8) | v;
      }
      image.setRGB(0, 0, images.cols, images.rows, rgb, 0, images.cols);
      return image;
    }

    @Override
    public String describe(int index) {
      return prefix + "[" + index + "]";
    }
  }
}
