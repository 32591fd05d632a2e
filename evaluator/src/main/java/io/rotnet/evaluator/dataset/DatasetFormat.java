package io.rotnet.evaluator.dataset;

import java.util.Locale;

/** The on-disk layouts the evaluator reads. */
public enum DatasetFormat {
  /** {@code train/<class>/*}, {@code val/<class>/*} (ImageNet, Places205). */
  IMAGEFOLDER,
  /** PASCAL VOC2007 devkit, multi-label with difficult flags. */
  VOC07,
  /** MNIST / Fashion-MNIST IDX files, gzipped or not. */
  IDX;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DatasetFormat parse(String text) {
    for (DatasetFormat format : values()) {
      if (format.label().equalsIgnoreCase(text.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset format '" + text + "' (expected imagefolder, voc07 or idx)");
  }
}
