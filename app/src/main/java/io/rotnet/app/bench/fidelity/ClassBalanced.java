package io.rotnet.app.bench.fidelity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded, class-balanced, disjoint picks of image indices. */
final class ClassBalanced {

  private ClassBalanced() {}

  /**
   * For each count, that many indices (as evenly over the classes as the count allows), disjoint
   * from every earlier pick; each result sorted.
   */
  static int[][] pick(int[] labels, int classes, int[] counts, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random random = new Random(seed);
    for (List<Integer> indices : byClass) {
      java.util.Collections.shuffle(indices, random);
    }
    int[] taken = new int[classes];
    int[][] picks = new int[counts.length][];
    for (int p = 0; p < counts.length; p++) {
      int[] out = new int[counts[p]];
      int n = 0;
      for (int c = 0; c < classes; c++) {
        int want = counts[p] / classes + (c < counts[p] % classes ? 1 : 0);
        List<Integer> indices = byClass.get(c);
        if (taken[c] + want > indices.size()) {
          throw new IllegalArgumentException("class " + c + " has " + indices.size() + " images, "
              + (taken[c] + want) + " are needed for the requested splits");
        }
        for (int k = 0; k < want; k++) {
          out[n++] = indices.get(taken[c]++);
        }
      }
      Arrays.sort(out);
      picks[p] = out;
    }
    return picks;
  }
}
