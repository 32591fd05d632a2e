package io.rotnet.evaluator.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a benchmark dataset is and how much of it to use, written on the command line as {@code
 * [NAME=]FORMAT:PATH}, e.g. {@code voc07:/data/VOCdevkit/VOC2007} or {@code
 * fashion-mnist=idx:/usr/share/datasets/fashion-mnist}. Without a name, the directory's name is
 * used. {@code maxTrain}/{@code maxTest} keep a seeded random subset of that many images (0 = all),
 * the way small presets stay inside a 2-core budget.
 */
public record DatasetSpec(String name, DatasetFormat format, Path root, int maxTrain, int maxTest) {
  private static final Pattern SPEC = Pattern.compile("(?:([A-Za-z0-9][A-Za-z0-9._-]*)=)?([A-Za-z0-9]+):(.+)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public DatasetSpec {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(root, "root");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("dataset name must match " + NAME + ", got '" + name + "'");
    }
    if (maxTrain < 0 || maxTest < 0) {
      throw new IllegalArgumentException("maxTrain and maxTest must be >= 0 (0 = all)");
    }
  }

  /** Parses {@code [NAME=]FORMAT:PATH}. */
  public static DatasetSpec parse(String text) {
    Matcher m = SPEC.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "dataset '" + text + "' must read [NAME=]FORMAT:PATH, e.g. voc07:/data/VOC2007");
    }
    DatasetFormat format = DatasetFormat.parse(m.group(2));
    Path root = Path.of(m.group(3));
    String name = m.group(1);
    if (name == null) {
      Path fileName = root.toAbsolutePath().normalize().getFileName();
      name = fileName == null ? format.label() : fileName.toString().toLowerCase(Locale.ROOT);
    }
    return new DatasetSpec(name, format, root, 0, 0);
  }

  public DatasetSpec withLimits(int newMaxTrain, int newMaxTest) {
    return new DatasetSpec(name, format, root, newMaxTrain, newMaxTest);
  }

  /** Reads the index (file lists and labels; images are decoded later, on demand). */
  public EvalDataset open() {
    if (!Files.isDirectory(root)) {
      throw new DatasetException("dataset directory " + root + " does not exist");
    }
    EvalDataset full;
    switch (format) {
      case IMAGEFOLDER:
        full = ImageFolderDataset.open(name, root);
        break;
      case VOC07:
        full = Voc2007Dataset.open(name, root);
        break;
      case IDX:
        full = IdxDataset.open(name, root, name.contains("fashion") ? IdxDataset.FASHION_MNIST : List.of());
        break;
      default:
        throw new IllegalStateException("unhandled format " + format);
    }
    if (maxTrain == 0 && maxTest == 0) {
      return full;
    }
    DatasetSplit train = limit(full.train(), maxTrain, 1);
    DatasetSplit test = limit(full.test(), maxTest, 2);
    String fingerprint = full.fingerprint() + "-" + maxTrain + "-" + maxTest;
    return new EvalDataset(name, train, test, fingerprint, full.squashedView());
  }

  private static DatasetSplit limit(DatasetSplit split, int max, long seed) {
    if (max == 0 || max >= split.size()) {
      return split;
    }
    int[] all = new int[split.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    Random random = new Random(seed);
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(all.length - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    int[] chosen = Arrays.copyOf(all, max);
    Arrays.sort(chosen);
    return split.subset(chosen);
  }

  @Override
  public String toString() {
    return name + "=" + format.label() + ":" + root
        + (maxTrain > 0 || maxTest > 0 ? " (at most " + maxTrain + "/" + maxTest + " images)" : "");
  }
}
