package io.rotnet.producer.augment;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from (seed, epoch, sample), so every draw depends only on
 * those three numbers: the same settings give the same bytes whatever the number of workers or
 * the order in which samples are processed.
 */
public final class Seeds {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /** Separates the shuffle stream from the per-sample streams. */
  private static final long SHUFFLE_STREAM = 0x5348_5546_464C_45L;

  private Seeds() {}

  /** Random stream for the augmentation of one source image in one epoch. */
  public static SplittableRandom forSample(long seed, int epoch, long sourceIndex) {
    return new SplittableRandom(mix(mix(mix(seed) + epoch * GOLDEN_GAMMA) + sourceIndex));
  }

  /** Random stream for the order of one epoch. */
  public static SplittableRandom forShuffle(long seed, int epoch) {
    return new SplittableRandom(mix(mix(mix(seed ^ SHUFFLE_STREAM) + epoch * GOLDEN_GAMMA)));
  }

  /** The SplitMix64 finaliser: a bijection that scatters nearby inputs across all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
