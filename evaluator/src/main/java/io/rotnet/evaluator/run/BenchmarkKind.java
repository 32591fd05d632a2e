package io.rotnet.evaluator.run;

import io.rotnet.model.Tap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The benchmarks an evaluator service can run, by their published names. */
public enum BenchmarkKind {
  SVM("svm", EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5), false),
  LOWSHOT_SVM("lowshot-svm", EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5), false),
  LINEAR_MHEAD("linear-mhead", EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5), true),
  LINEAR_AVGPOOL("linear-avgpool", EnumSet.of(Tap.AVGPOOL), true),
  KNN("knn", EnumSet.of(Tap.AVGPOOL), true),
  /** Approximation of linear-mhead: heads trained on one cached centre-view feature per image. */
  LINEAR_MHEAD_CACHED("linear-mhead-cached", EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5), true),
  /** Approximation of linear-avgpool: the head trained on one cached centre-view feature per image. */
  LINEAR_AVGPOOL_CACHED("linear-avgpool-cached", EnumSet.of(Tap.AVGPOOL), true),
  /** The RotNet paper's classifiers on each block's whole maps ({@code io.rotnet.evaluator.blocks}). */
  BLOCKS_LINEAR("blocks-linear", EnumSet.noneOf(Tap.class), true),
  BLOCKS_NONLINEAR("blocks-nonlinear", EnumSet.noneOf(Tap.class), true);

  private final String label;
  private final Set<Tap> defaultTaps;
  private final boolean needsSingleLabel;

  BenchmarkKind(String label, Set<Tap> defaultTaps, boolean needsSingleLabel) {
    this.label = label;
    this.defaultTaps = defaultTaps;
    this.needsSingleLabel = needsSingleLabel;
  }

  /** The name in {@code EvalResult.benchmark} and on the command line. */
  public String label() {
    return label;
  }

  /** Taps the protocol reads. */
  public Set<Tap> defaultTaps() {
    return EnumSet.copyOf(defaultTaps);
  }

  /** Linear probes and kNN need one class per image; the SVMs also take multi-label sets. */
  public boolean needsSingleLabel() {
    return needsSingleLabel;
  }

  /**
   * linear-mhead and linear-avgpool train on fresh augmented views through the backbone every
   * epoch ({@code io.rotnet.evaluator.linear}) instead of on cached features.
   */
  public boolean streamedLinear() {
    return this == LINEAR_MHEAD || this == LINEAR_AVGPOOL;
  }

  /** Whether a built-in benchmark has this name; other names may belong to a plug-in. */
  public static boolean isKnown(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (BenchmarkKind kind : values()) {
      if (kind.label.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  public static BenchmarkKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (BenchmarkKind kind : values()) {
      if (kind.label.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown benchmark '" + text + "' (expected svm, lowshot-svm, linear-mhead, linear-avgpool, knn,"
            + " linear-mhead-cached, linear-avgpool-cached, blocks-linear or blocks-nonlinear)");
  }
}
