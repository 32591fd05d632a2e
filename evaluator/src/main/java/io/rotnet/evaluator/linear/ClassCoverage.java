package io.rotnet.evaluator.linear;

import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.EvalDataset;
import java.util.ArrayList;
import java.util.List;

/** A linear evaluation trains and scores every class, so each needs images in both splits. */
public final class ClassCoverage {
  private ClassCoverage() {}

  /** Refuses a dataset (before any training) where a class has no image in a split. */
  public static void require(EvalDataset dataset) {
    if (!dataset.singleLabel()) {
      throw new DatasetException("linear evaluation needs one label per image; " + dataset.name() + " is multi-label");
    }
    List<String> problems = new ArrayList<>();
    missing(dataset.train(), problems);
    missing(dataset.test(), problems);
    if (!problems.isEmpty()) {
      throw new DatasetException(dataset.name() + ": every class needs images in both splits for linear evaluation; "
          + String.join("; ", problems));
    }
  }

  private static void missing(DatasetSplit split, List<String> problems) {
    int[] counts = new int[split.classNames().size()];
    for (int label : split.labels()) {
      counts[label]++;
    }
    List<String> empty = new ArrayList<>();
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        empty.add(split.classNames().get(c));
      }
    }
    if (!empty.isEmpty()) {
      problems.add(split.name() + " has no images of " + (empty.size() > 10 ? empty.size() + " classes, e.g. "
          + empty.subList(0, 10) : "class(es) " + empty));
    }
  }
}
