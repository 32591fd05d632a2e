package io.rotnet.evaluator.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ImageFolder layout of ImageNet and Places205: {@code <root>/train/<class>/<image>} and
 * {@code <root>/val/<class>/<image>} ({@code test/} instead of {@code val/} where there is no {@code
 * val/}, as in CIFAR-10's ImageFolder export). Classes are the sub-directories of {@code train}, sorted by
 * name (torchvision's order); files are sorted by path. The validation split must have the same
 * class directories (a class may be empty there).
 */
public final class ImageFolderDataset {
  private ImageFolderDataset() {}

  public static EvalDataset open(String name, Path root) {
    Path trainDir = root.resolve("train");
    Path valDir = root.resolve("val");
    if (!Files.isDirectory(valDir) && Files.isDirectory(root.resolve("test"))) {
      valDir = root.resolve("test"); // CIFAR-10 as ImageFolder: test/ is the evaluation split
    }
    if (!Files.isDirectory(trainDir) || !Files.isDirectory(valDir)) {
      throw new DatasetException(
          "ImageFolder dataset " + root + " needs train/ and val/ (or test/) directories with one sub-directory per class");
    }
    List<String> classes = classDirectories(trainDir);
    if (classes.isEmpty()) {
      throw new DatasetException("ImageFolder dataset " + trainDir + " has no class directories");
    }
    List<String> valClasses = classDirectories(valDir);
    if (!classes.containsAll(valClasses)) {
      List<String> extra = new ArrayList<>(valClasses);
      extra.removeAll(classes);
      throw new DatasetException("val/ has classes that train/ lacks: " + extra);
    }
    DatasetSplit train = split(name + "/train", root, trainDir, classes);
    DatasetSplit test = split(name + "/" + valDir.getFileName(), root, valDir, classes);
    Fingerprint fingerprint = new Fingerprint("imagefolder", root);
    fingerprint.addFiles(((ImageFiles) train.images()).files());
    fingerprint.addFiles(((ImageFiles) test.images()).files());
    return new EvalDataset(name, train, test, fingerprint.value());
  }

  private static DatasetSplit split(String splitName, Path root, Path dir, List<String> classes) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path classDir = dir.resolve(classes.get(c));
      if (!Files.isDirectory(classDir)) {
        continue;
      }
      try (Stream<Path> entries = Files.walk(classDir)) {
        List<Path> images = entries.filter(Files::isRegularFile).filter(ImageFiles::isImage).sorted().toList();
        for (Path image : images) {
          files.add(image);
          labels.add(c);
        }
      } catch (IOException e) {
        throw new DatasetException("cannot list " + classDir + ": " + e.getMessage(), e);
      }
    }
    if (files.isEmpty()) {
      throw new DatasetException(dir + " holds no images (" + ImageFiles.EXTENSIONS + ")");
    }
    int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
    return DatasetSplit.singleLabel(splitName, new ImageFiles(root, files), classes, labelArray);
  }

  private static List<String> classDirectories(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
