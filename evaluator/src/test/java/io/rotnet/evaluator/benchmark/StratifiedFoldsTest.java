package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StratifiedFoldsTest {

  @Test
  void dealsEachClassOverTheFoldsLikeStratifiedKFold() {
    boolean[] positive = {true, true, true, false, false, false, false, false, false, false};
    // sorted labels 0001111111 dealt round-robin: fold sizes (1 pos, 3 neg), (1, 2), (1, 2)
    assertThat(StratifiedFolds.assign(positive, 3)).containsExactly(0, 1, 2, 0, 0, 0, 1, 1, 2, 2);
  }

  @Test
  void classesAreNumberedByFirstAppearance() {
    boolean[] positive = {false, true, false, true, false, false};
    // negatives first: sorted 000011 -> fold0 (1 neg, 1 pos), fold1 (2 neg, 0 pos)... see allocation
    int[] folds = StratifiedFolds.assign(positive, 2);
    int[] perFoldPositives = new int[2];
    int[] perFoldNegatives = new int[2];
    for (int i = 0; i < positive.length; i++) {
      if (positive[i]) {
        perFoldPositives[folds[i]]++;
      } else {
        perFoldNegatives[folds[i]]++;
      }
    }
    assertThat(perFoldNegatives).containsExactly(2, 2);
    assertThat(perFoldPositives).containsExactly(1, 1);
  }
}
