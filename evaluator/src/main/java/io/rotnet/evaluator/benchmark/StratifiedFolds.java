package io.rotnet.evaluator.benchmark;

import java.util.Arrays;

/**
 * Stratified k-fold assignment without shuffling, with the same allocation as scikit-learn's
 * {@code StratifiedKFold} (which the reference's {@code cross_val_score(cv=3)} uses): the labels
 * sorted by class are dealt round-robin to the folds to fix how many of each class every fold
 * gets, then each class's examples, in dataset order, fill fold 0, then fold 1, and so on.
 */
final class StratifiedFolds {
  private StratifiedFolds() {}

  /** Fold index of each example for a binary labelling. */
  static int[] assign(boolean[] positive, int folds) {
    if (folds < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
    }
    int n = positive.length;
    // classes are numbered by first appearance, as numpy.unique + return_index does
    boolean firstIsPositive = n > 0 && positive[0];
    int[] encoded = new int[n];
    int[] counts = new int[2];
    for (int i = 0; i < n; i++) {
      encoded[i] = positive[i] == firstIsPositive ? 0 : 1;
      counts[encoded[i]]++;
    }
    int[][] allocation = new int[folds][2];
    int[] sorted = new int[n];
    Arrays.fill(sorted, 0, counts[0], 0);
    Arrays.fill(sorted, counts[0], n, 1);
    for (int i = 0; i < n; i++) {
      allocation[i % folds][sorted[i]]++;
    }
    int[] fold = new int[n];
    int[] nextFold = new int[2];
    int[] usedInFold = new int[2];
    for (int i = 0; i < n; i++) {
      int k = encoded[i];
      while (usedInFold[k] >= allocation[nextFold[k]][k]) {
        nextFold[k]++;
        usedInFold[k] = 0;
      }
      fold[i] = nextFold[k];
      usedInFold[k]++;
    }
    return fold;
  }
}
