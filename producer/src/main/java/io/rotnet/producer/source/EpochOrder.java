package io.rotnet.producer.source;

import io.rotnet.producer.augment.Seeds;
import java.util.SplittableRandom;

/** The order in which one epoch visits a source: a seeded Fisher-Yates shuffle. */
public final class EpochOrder {

  private EpochOrder() {}

  /** A permutation of 0..size-1 that depends only on (seed, epoch). */
  public static int[] shuffled(int size, long seed, int epoch) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    SplittableRandom random = Seeds.forShuffle(seed, epoch);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
