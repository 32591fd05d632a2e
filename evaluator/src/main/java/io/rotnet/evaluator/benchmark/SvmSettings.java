package io.rotnet.evaluator.benchmark;

/**
 * One linear SVM as the VOC07 protocol trains it: the L2-regularized squared-hinge problem that
 * scikit-learn's {@code LinearSVC(penalty='l2', loss='squared_hinge', dual=True, tol=1e-4,
 * max_iter=2000)} gives liblinear, class weights applied to the cost, and a bias feature of value
 * {@code bias} (LinearSVC's {@code intercept_scaling=1}, regularized like the other weights).
 *
 * @param tolerance liblinear's dual stopping tolerance: the spread of the projected gradient
 * @param maxIterations epochs of the dual coordinate descent (LinearSVC's {@code max_iter})
 */
public record SvmSettings(
    double positiveWeight, double negativeWeight, double tolerance, int maxIterations, double bias) {

  public SvmSettings {
    if (!(positiveWeight > 0) || !(negativeWeight > 0)) {
      throw new IllegalArgumentException("class weights must be positive");
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
    }
    if (maxIterations <= 0) {
      throw new IllegalArgumentException("maxIterations must be positive, got " + maxIterations);
    }
    if (bias < 0) {
      throw new IllegalArgumentException("bias must be >= 0 (0 keeps a zero bias feature), got " + bias);
    }
  }

  /** Positive 2 : negative 1, tol 1e-4, 2000 iterations, bias 1. */
  public static SvmSettings voc07() {
    return new SvmSettings(2.0, 1.0, 1e-4, 2000, 1.0);
  }
}
