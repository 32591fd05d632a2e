package io.rotnet.evaluator.benchmark;

import java.util.List;
import java.util.Objects;

/**
 * Per-image, per-class flags in the VOC devkit's convention: {@link #POSITIVE} (1), {@link
 * #NEGATIVE} (-1) or {@link #DIFFICULT} (0, present but marked difficult; ignored when scoring).
 * Single-label datasets become one-vs-rest targets with {@link #oneVsRest}.
 */
public final class MultiLabelTargets {
  public static final byte POSITIVE = 1;
  public static final byte NEGATIVE = -1;
  public static final byte DIFFICULT = 0;

  private final List<String> classNames;
  private final byte[][] flags;

  /** @param flags one row per image, one column per class; copied */
  public MultiLabelTargets(List<String> classNames, byte[][] flags) {
    this.classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("targets need at least one class");
    }
    this.flags = new byte[flags.length][];
    for (int i = 0; i < flags.length; i++) {
      if (flags[i].length != classNames.size()) {
        throw new IllegalArgumentException(
            "image " + i + " has " + flags[i].length + " flags for " + classNames.size() + " classes");
      }
      for (byte flag : flags[i]) {
        if (flag != POSITIVE && flag != NEGATIVE && flag != DIFFICULT) {
          throw new IllegalArgumentException("image " + i + " has flag " + flag + ", expected 1, -1 or 0");
        }
      }
      this.flags[i] = flags[i].clone();
    }
  }

  /** One-vs-rest targets of a single-label dataset (no difficult examples). */
  public static MultiLabelTargets oneVsRest(int[] labels, List<String> classNames) {
    byte[][] flags = new byte[labels.length][classNames.size()];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not a class index");
      }
      java.util.Arrays.fill(flags[i], NEGATIVE);
      flags[i][labels[i]] = POSITIVE;
    }
    return new MultiLabelTargets(classNames, flags);
  }

  public int size() {
    return flags.length;
  }

  public int classCount() {
    return classNames.size();
  }

  public List<String> classNames() {
    return classNames;
  }

  public byte flag(int image, int classIndex) {
    return flags[image][classIndex];
  }

  /** How many images carry this flag for the class. */
  public int count(int classIndex, byte flag) {
    int count = 0;
    for (byte[] row : flags) {
      count += row[classIndex] == flag ? 1 : 0;
    }
    return count;
  }
}
