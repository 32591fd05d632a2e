package io.rotnet.evaluator.benchmark;

import java.util.random.RandomGenerator;

/** Fisher-Yates shuffles: the same draws, last position first, wherever an order is shuffled. */
public final class Shuffle {
  private Shuffle() {}

  /** Shuffles {@code order} in place. */
  public static void inPlace(int[] order, RandomGenerator random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** A shuffled 0..n-1. */
  public static int[] permutation(int n, RandomGenerator random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    inPlace(order, random);
    return order;
  }
}
