package io.rotnet.evaluator.benchmark;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Average precision of one class from classifier scores, in the three variants the VOC07 SVM
 * protocol touches.
 *
 * <ul>
 *   <li>{@link Method#ALL_POINTS} (default, what the VOC07 SVM benchmark reports): the precision
 *       curve is made monotone (each precision replaced by the best precision at any higher
 *       recall) and its area is summed over every recall change. This is the
 *       {@code calc_ap}/{@code calculate_ap} of the FAIR self-supervision benchmark that MMSelfSup
 *       and VISSL copy, i.e. the VOC2010+ devkit formula, not the 2007 devkit's 11 points. It is
 *       the number the seed's 67.70 mAP is measured with.
 *   <li>{@link Method#ELEVEN_POINT}: the VOC2007 devkit's interpolated AP, the mean over recall
 *       thresholds 0, 0.1, ..., 1 of the best precision at recall &gt;= threshold. Offered for
 *       comparison with papers that quote it.
 *   <li>{@link Method#STEPWISE}: the uninterpolated sum of (R_n - R_{n-1}) P_n, which is what the
 *       reference uses (through scikit-learn's {@code average_precision} scorer) to score the
 *       3-fold cross-validation that picks each class's cost.
 * </ul>
 *
 * Examples whose score is tied form one threshold: precision and recall are taken after the
 * whole tied group, so the result does not depend on the input order. Difficult examples must be
 * removed by the caller (VOC07 ignores them when scoring).
 */
public final class VocAveragePrecision {

  /** Which AP formula to apply. */
  public enum Method {
    ALL_POINTS,
    ELEVEN_POINT,
    STEPWISE
  }

  private VocAveragePrecision() {}

  /** AP with the benchmark's formula ({@link Method#ALL_POINTS}). */
  public static double of(double[] scores, boolean[] positive) {
    return of(scores, positive, Method.ALL_POINTS);
  }

  /**
   * AP of a ranking by descending score. Returns 0 when there is no positive example (the
   * reference would divide by zero there).
   */
  public static double of(double[] scores, boolean[] positive, Method method) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
    }
    PrecisionRecall curve = curve(scores, positive);
    if (curve.positives == 0) {
      return 0.0;
    }
    switch (method) {
      case ALL_POINTS:
        return allPoints(curve.recall, curve.precision);
      case ELEVEN_POINT:
        return elevenPoint(curve.recall, curve.precision);
      case STEPWISE:
        return stepwise(curve.recall, curve.precision);
      default:
        throw new IllegalArgumentException("unknown AP method " + method);
    }
  }

  /** Precision and recall after each distinct score threshold, highest score first. */
  private static PrecisionRecall curve(double[] scores, boolean[] positive) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    int positives = 0;
    for (boolean p : positive) {
      positives += p ? 1 : 0;
    }
    double[] recall = new double[scores.length];
    double[] precision = new double[scores.length];
    int points = 0;
    int truePositives = 0;
    int seen = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      // a tied group counts as one threshold
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        truePositives += positive[order[j]] ? 1 : 0;
        j++;
      }
      seen = j;
      recall[points] = positives == 0 ? 0 : (double) truePositives / positives;
      precision[points] = (double) truePositives / seen;
      points++;
      i = j;
    }
    return new PrecisionRecall(
        Arrays.copyOf(recall, points), Arrays.copyOf(precision, points), positives);
  }

  private static double allPoints(double[] recall, double[] precision) {
    int n = recall.length;
    // sentinels: recall 0 and 1, precision 0 at both ends
    double[] mrec = new double[n + 2];
    double[] mpre = new double[n + 2];
    System.arraycopy(recall, 0, mrec, 1, n);
    System.arraycopy(precision, 0, mpre, 1, n);
    mrec[n + 1] = 1.0;
    for (int i = n; i >= 0; i--) {
      mpre[i] = Math.max(mpre[i], mpre[i + 1]);
    }
    double ap = 0;
    for (int i = 1; i < n + 2; i++) {
      if (mrec[i] != mrec[i - 1]) {
        ap += (mrec[i] - mrec[i - 1]) * mpre[i];
      }
    }
    return ap;
  }

  private static double elevenPoint(double[] recall, double[] precision) {
    double ap = 0;
    for (int t = 0; t <= 10; t++) {
      double threshold = t / 10.0;
      double best = 0;
      for (int i = 0; i < recall.length; i++) {
        if (recall[i] >= threshold - 1e-12) {
          best = Math.max(best, precision[i]);
        }
      }
      ap += best / 11.0;
    }
    return ap;
  }

  private static double stepwise(double[] recall, double[] precision) {
    double ap = 0;
    double previousRecall = 0;
    for (int i = 0; i < recall.length; i++) {
      ap += (recall[i] - previousRecall) * precision[i];
      previousRecall = recall[i];
    }
    return ap;
  }

  private record PrecisionRecall(double[] recall, double[] precision, int positives) {}
}
