package io.rotnet.evaluator.benchmark;

import java.util.List;

/**
 * Low-shot SVM results of one tap, one entry per k.
 *
 * @param unconvergedFits solves that stopped at the epoch limit before the tolerance
 */
public record LowShotResult(String tap, List<ShotScore> shots, int unconvergedFits) {

  public LowShotResult {
    shots = List.copyOf(shots);
  }

  /**
   * mAP statistics over the samples at the cost with the best mean.
   *
   * @param sampleMaps each sample's mAP at that cost
   */
  public record ShotScore(
      int k, double cost, double mean, double min, double max, double std, double[] sampleMaps) {}
}
