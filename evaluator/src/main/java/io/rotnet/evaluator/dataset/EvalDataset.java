package io.rotnet.evaluator.dataset;

import java.util.Objects;

/**
 * A benchmark dataset: a training split (what the SVMs, probes and kNN memory are fitted on) and
 * a test split, with the same classes.
 *
 * @param name the name results are published under (e.g. {@code voc07}, {@code fashion-mnist})
 * @param fingerprint identifies the exact image lists (format, location, files, subset), so that
 *     cached features of another version of the dataset are never reused
 * @param squashedView whether the reference extracts this dataset's features from the whole image
 *     squashed to a square (VOC07) rather than from a centre crop ({@link Preprocessing#forDataset})
 */
public record EvalDataset(
    String name, DatasetSplit train, DatasetSplit test, String fingerprint, boolean squashedView) {

  public EvalDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (!train.classNames().equals(test.classNames())) {
      throw new DatasetException(
          name + ": train classes " + train.classNames() + " differ from test classes " + test.classNames());
    }
  }

  /** A dataset viewed through a centre crop. */
  public EvalDataset(String name, DatasetSplit train, DatasetSplit test, String fingerprint) {
    this(name, train, test, fingerprint, false);
  }

  public int classCount() {
    return train.classNames().size();
  }

  /** True when both splits have one label per image (linear probes and kNN need that). */
  public boolean singleLabel() {
    return train.labels() != null && test.labels() != null;
  }
}
