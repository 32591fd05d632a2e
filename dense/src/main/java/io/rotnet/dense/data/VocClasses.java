package io.rotnet.dense.data;

import java.util.List;

/** The PASCAL VOC class lists in the references' order (mmdet VOCDataset, mmseg PascalVOCDataset). */
public final class VocClasses {
  private VocClasses() {}

  /** The 20 object classes, index 0..19 in detection. */
  public static final List<String> OBJECTS = List.of(
      "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
      "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

  /** The 21 segmentation classes: background first, then the objects (labels 0..20, 255 ignored). */
  public static final List<String> SEGMENTATION = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("background"), OBJECTS.stream()).toList();

  public static final int IGNORE = 255;

  /**
   * The object classes of a VOC-layout folder: those of its {@code classes.txt} when it has one
   * (synthetic scenes and other custom sets), else VOC's 20.
   */
  public static List<String> objectsOf(java.nio.file.Path vocFolder) {
    java.nio.file.Path file = vocFolder.resolve("classes.txt");
    if (!java.nio.file.Files.isRegularFile(file)) {
      return OBJECTS;
    }
    try {
      List<String> names = java.nio.file.Files.readAllLines(file).stream().map(String::trim)
          .filter(s -> !s.isEmpty()).toList();
      if (names.isEmpty() || names.size() > 254) {
        throw new io.rotnet.evaluator.dataset.DatasetException(file + " must list 1..254 class names, has " + names.size());
      }
      return names;
    } catch (java.io.IOException e) {
      throw new io.rotnet.evaluator.dataset.DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Background, then the object classes. */
  public static List<String> withBackground(List<String> objects) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of("background"), objects.stream()).toList();
  }
}
