package io.rotnet.evaluator.dataset;

import io.rotnet.evaluator.benchmark.MultiLabelTargets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The images of one split with their labels: every split has per-class targets (multi-label,
 * with VOC's difficult flags); single-label splits also have one class index per image.
 *
 * @param labels one class index per image, or null for a multi-label split
 */
public record DatasetSplit(
    String name, ImageSource images, List<String> classNames, int[] labels, MultiLabelTargets targets) {

  public DatasetSplit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(images, "images");
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(targets, "targets");
    if (targets.size() != images.size()) {
      throw new IllegalArgumentException(
          name + ": " + images.size() + " images but " + targets.size() + " targets");
    }
    if (labels != null && labels.length != images.size()) {
      throw new IllegalArgumentException(
          name + ": " + images.size() + " images but " + labels.length + " labels");
    }
  }

  /** A single-label split; its targets are the one-vs-rest view of the labels. */
  public static DatasetSplit singleLabel(
      String name, ImageSource images, List<String> classNames, int[] labels) {
    return new DatasetSplit(
        name, images, classNames, labels.clone(), MultiLabelTargets.oneVsRest(labels, classNames));
  }

  public int size() {
    return images.size();
  }

  /** The class index per image, when the split is single-label. */
  public Optional<int[]> singleLabels() {
    return Optional.ofNullable(labels).map(int[]::clone);
  }

  /** The images at the given (sorted) positions, with their labels. */
  public DatasetSplit subset(int[] indices) {
    ImageSource base = images;
    ImageSource sub = new ImageSource() {
      @Override
      public int size() {
        return indices.length;
      }

      @Override
      public java.awt.image.BufferedImage read(int index) {
        return base.read(indices[index]);
      }

      @Override
      public String describe(int index) {
        return base.describe(indices[index]);
      }
    };
    byte[][] flags = new byte[indices.length][targets.classCount()];
    for (int i = 0; i < indices.length; i++) {
      for (int c = 0; c < targets.classCount(); c++) {
        flags[i][c] = targets.flag(indices[i], c);
      }
    }
    int[] subLabels = null;
    if (labels != null) {
      subLabels = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        subLabels[i] = labels[indices[i]];
      }
    }
    return new DatasetSplit(name, sub, classNames, subLabels, new MultiLabelTargets(classNames, flags));
  }
}
