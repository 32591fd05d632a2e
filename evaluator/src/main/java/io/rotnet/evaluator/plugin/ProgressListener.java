package io.rotnet.evaluator.plugin;

/**
 * Where a long benchmark (a fine-tune) reports how far it is; the evaluator service sends each
 * report to {@code rotnet.metrics} as a training run of its own, so the dashboard plots it.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Drops every report. */
  ProgressListener NONE = (run, iteration, imagesSeen, loss, learningRate, imagesPerSecond) -> { };

  /**
   * @param run names the fine-tune, e.g. {@code <checkpoint id>/<benchmark>/<dataset>}
   * @param iteration iterations done
   * @param imagesSeen training images consumed so far
   */
  void report(String run, long iteration, long imagesSeen, double loss, double learningRate, double imagesPerSecond);
}
