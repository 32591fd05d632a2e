package io.rotnet.evaluator.benchmark;

import java.util.Arrays;

/**
 * One binary SVM problem of a tap (a class's training rows, a fold of them, or a low-shot draw),
 * solved for one cost after another from the previous solution. Per-example costs carry the class
 * weights (C_i = C x positive or negative weight, liblinear's {@code weight_label}). A set with a
 * single label gives a constant scorer, +1 or -1, as there is nothing to separate (scikit-learn
 * refuses such a set).
 */
final class SvmFit {
  private final SvmKernel kernel;
  private final int[] rows;
  private final boolean[] positive;
  private final SvmSettings settings;
  private final SquaredHingeDual solver;
  private final double constant;

  SvmFit(SvmKernel kernel, SvmBenchmark.TrainingSet set, SvmSettings settings, long seed) {
    this(kernel, set.indices(), set.positive(), settings, seed);
  }

  SvmFit(SvmKernel kernel, int[] rows, boolean[] positive, SvmSettings settings, long seed) {
    this.kernel = kernel;
    this.rows = rows;
    this.positive = positive;
    this.settings = settings;
    int positives = 0;
    for (boolean p : positive) {
      positives += p ? 1 : 0;
    }
    if (positives == 0 || positives == rows.length) {
      this.solver = null;
      this.constant = positives == 0 ? -1.0 : 1.0;
    } else {
      this.solver = new SquaredHingeDual(kernel.problem(rows, positive), rows.length, seed);
      this.constant = 0;
    }
  }

  /** Solves for cost C; returns false when the epoch limit came before the tolerance. */
  boolean solve(double cost) {
    if (solver == null) {
      return true;
    }
    double[] costs = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      costs[i] = cost * (positive[i] ? settings.positiveWeight() : settings.negativeWeight());
    }
    return solver.solve(costs, settings.tolerance(), settings.maxIterations());
  }

  /** Decision values on the given training rows. */
  double[] trainDecisions(int[] targets) {
    if (solver == null) {
      double[] out = new double[targets.length];
      Arrays.fill(out, constant);
      return out;
    }
    return kernel.trainDecisions(rows, positive, solver.alpha(), targets);
  }

  /** Decision values on every test row. */
  double[] testDecisions() {
    if (solver == null) {
      double[] out = new double[kernel.testRows()];
      Arrays.fill(out, constant);
      return out;
    }
    return kernel.testDecisions(rows, positive, solver.alpha());
  }
}
