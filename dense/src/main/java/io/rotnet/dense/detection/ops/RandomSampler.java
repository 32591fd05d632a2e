package io.rotnet.dense.detection.ops;

import java.util.Arrays;
import java.util.Random;

/**
 * mmdet 2.x {@code RandomSampler}: up to {@code num x posFraction} positives drawn at random
 * without replacement, then negatives fill the rest of {@code num}. The generator is the caller's,
 * so a seeded run samples the same boxes.
 */
public final class RandomSampler {

  private final int num;
  private final float posFraction;

  public RandomSampler(int num, float posFraction) {
    this.num = num;
    this.posFraction = posFraction;
  }

  /** Positive and negative box indices drawn from an assignment ({@code > 0} / {@code == 0}). */
  public Sample sample(int[] gtIndex, Random random) {
    int[] positives = pick(gtIndex, true, (int) (num * posFraction), random);
    int[] negatives = pick(gtIndex, false, num - positives.length, random);
    return new Sample(positives, negatives);
  }

  private static int[] pick(int[] gtIndex, boolean positive, int wanted, Random random) {
    int[] pool =
        java.util.stream.IntStream.range(0, gtIndex.length)
            .filter(i -> positive ? gtIndex[i] > 0 : gtIndex[i] == 0)
            .toArray();
    if (pool.length <= wanted) {
      return pool;
    }
    // a partial Fisher-Yates shuffle: the first `wanted` entries of a random permutation
    for (int i = 0; i < wanted; i++) {
      int j = i + random.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return Arrays.copyOf(pool, Math.max(wanted, 0));
  }

  /** Sampled indices into the assigned boxes. */
  public record Sample(int[] positives, int[] negatives) {
    public int total() {
      return positives.length + negatives.length;
    }
  }
}
