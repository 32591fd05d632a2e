package io.rotnet.evaluator.dataset;

import io.rotnet.evaluator.benchmark.MultiLabelTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PASCAL VOC2007 devkit layout: {@code JPEGImages/<id>.jpg} and, per class,
 * {@code ImageSets/Main/<class>_trainval.txt} and {@code <class>_test.txt} whose lines read
 * {@code <id> <flag>} with flag 1 (present), -1 (absent) or 0 (present but difficult only).
 * Training uses {@code trainval}, testing {@code test}; the classes are those with a
 * {@code _trainval.txt} file, sorted by name (the 20 VOC classes in a full devkit). Every class
 * file of a split must list the same images. Its features are extracted from the squashed whole
 * image ({@link Preprocessing#forDataset}), as the reference does.
 */
public final class Voc2007Dataset {
  private static final Pattern CLASS_FILE = Pattern.compile("([A-Za-z0-9]+)_trainval\\.txt");

  private Voc2007Dataset() {}

  public static EvalDataset open(String name, Path root) {
    Path main = root.resolve("ImageSets").resolve("Main");
    Path images = root.resolve("JPEGImages");
    if (!Files.isDirectory(main) || !Files.isDirectory(images)) {
      throw new DatasetException(
          "VOC dataset " + root + " needs JPEGImages/ and ImageSets/Main/ (point at VOCdevkit/VOC2007)");
    }
    List<String> classes = classes(main);
    DatasetSplit train = split(name + "/trainval", root, main, images, classes, "trainval");
    DatasetSplit test = split(name + "/test", root, main, images, classes, "test");
    Fingerprint fingerprint = new Fingerprint("voc07", root);
    for (String c : classes) {
      fingerprint.addFiles(List.of(main.resolve(c + "_trainval.txt"), main.resolve(c + "_test.txt")));
    }
    // MMSelfSup's VOC07 SVM configs extract from Resize(256), Resize((224, 224)): the whole image
    return new EvalDataset(name, train, test, fingerprint.value(), true);
  }

  private static List<String> classes(Path main) {
    try (Stream<Path> entries = Files.list(main)) {
      List<String> classes = entries.map(p -> CLASS_FILE.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1))
          .sorted()
          .toList();
      if (classes.isEmpty()) {
        throw new DatasetException(main + " has no <class>_trainval.txt files");
      }
      return classes;
    } catch (IOException e) {
      throw new DatasetException("cannot list " + main + ": " + e.getMessage(), e);
    }
  }

  private static DatasetSplit split(
      String splitName, Path root, Path main, Path imageDir, List<String> classes, String split) {
    Map<String, byte[]> flags = new LinkedHashMap<>();
    for (int c = 0; c < classes.size(); c++) {
      Path file = main.resolve(classes.get(c) + "_" + split + ".txt");
      Map<String, Byte> classFlags = readClassFile(file);
      if (c == 0) {
        for (String id : classFlags.keySet()) {
          flags.put(id, new byte[classes.size()]);
        }
      } else if (!classFlags.keySet().equals(flags.keySet())) {
        throw new DatasetException(
            file + " lists other images than " + classes.get(0) + "_" + split + ".txt");
      }
      for (Map.Entry<String, Byte> e : classFlags.entrySet()) {
        flags.get(e.getKey())[c] = e.getValue();
      }
    }
    if (flags.isEmpty()) {
      throw new DatasetException("VOC split " + split + " lists no images");
    }
    List<Path> files = new ArrayList<>();
    for (String id : flags.keySet()) {
      Path image = imageDir.resolve(id + ".jpg");
      if (!Files.isRegularFile(image)) {
        throw new DatasetException("VOC split " + split + " lists " + id + " but " + image + " is missing");
      }
      files.add(image);
    }
    MultiLabelTargets targets = new MultiLabelTargets(classes, flags.values().toArray(new byte[0][]));
    return new DatasetSplit(splitName, new ImageFiles(root, files), classes, null, targets);
  }

  private static Map<String, Byte> readClassFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException("VOC class file " + file + " is missing");
    }
    Map<String, Byte> flags = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      byte flag;
      try {
        flag = parts.length == 2 ? Byte.parseByte(parts[1]) : 2;
      } catch (NumberFormatException e) {
        flag = 2;
      }
      if (flag != 1 && flag != -1 && flag != 0) {
        throw new DatasetException(file + " line " + (n + 1) + ": expected '<id> 1|-1|0', got '" + line + "'");
      }
      if (flags.put(parts[0], flag) != null) {
        throw new DatasetException(file + " line " + (n + 1) + ": image " + parts[0] + " listed twice");
      }
    }
    return flags;
  }
}
