package io.rotnet.evaluator.benchmark;

import java.util.Comparator;
import java.util.List;

/** mAP of the VOC07 SVM benchmark per tap, and the best tap. */
public record SvmResult(List<TapScore> taps) {

  public SvmResult {
    taps = List.copyOf(taps);
    if (taps.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one tap");
    }
  }

  /** The tap with the highest mAP (the first one on ties). */
  public TapScore best() {
    return taps.stream().max(Comparator.comparingDouble(TapScore::meanAp)).orElseThrow();
  }

  /**
   * One tap's outcome.
   *
   * @param meanAp mean over classes of the test AP
   * @param classAp test AP per class
   * @param chosenCost the cost cross-validation picked per class
   * @param crossValidationAp mean fold AP per class and cost (rows: classes; columns: the cost
   *     list's order)
   * @param unconvergedFits solves that stopped at the epoch limit before the tolerance
   */
  public record TapScore(
      String tap, double meanAp, double[] classAp, double[] chosenCost, double[][] crossValidationAp,
      int unconvergedFits) {}
}
