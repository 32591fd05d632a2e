package io.rotnet.evaluator.benchmark;

import java.util.Arrays;

/**
 * One binary SVM problem of a tap (a class's training rows, a fold of them, or a low-shot draw),
 * solved for one cost after another from the previous solution. Per-example costs carry the class
 * weights (C_i = C x positive or negative weight, liblinear's {@code weight_label}). A set with a
 * single label gives a constant scorer, +1 or -1, as there is nothing to separate (scikit-learn
 * refuses such a set).
 *
 * <p>Where the tap is narrow enough ({@link SvmKernel#primalRows}), a cost the dual descent has not
 * solved within {@value #DESCENT_BEFORE_NEWTON} epochs is finished by {@link SquaredHingeNewton}
 * from where the descent got to; the next cost's descent starts from its solution. Small costs
 * converge within a few epochs and never get there; the large ones, which would run to the epoch
 * limit, take a few Newton steps instead. (The descent cannot check Newton's optimum with its own
 * rule at large costs: its gradient sums dual variables of a few hundred through a float kernel.)
 */
final class SvmFit {
  static final int DESCENT_BEFORE_NEWTON = 50;

  private final SvmKernel kernel;
  private final int[] rows;
  private final boolean[] positive;
  private final SvmSettings settings;
  private final SquaredHingeDual solver;
  /** The primal solver of this set, or null where the tap is too wide for it. */
  private final SquaredHingeNewton newton;
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
      this.newton = null;
      this.constant = positives == 0 ? -1.0 : 1.0;
    } else {
      this.solver = new SquaredHingeDual(kernel.problem(rows, positive), rows.length, seed);
      float[] x = rows.length >= 2 * kernel.primalDims() ? kernel.primalRows(rows) : null;
      this.newton = x == null ? null : new SquaredHingeNewton(x, kernel.primalDims(), positive);
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
    int limit = settings.maxIterations();
    if (newton == null || limit <= DESCENT_BEFORE_NEWTON) {
      return solver.solve(costs, settings.tolerance(), limit);
    }
    if (solver.solve(costs, settings.tolerance(), DESCENT_BEFORE_NEWTON)) {
      return true;
    }
    double[] optimum = newton.solve(costs, solver.alpha());
    if (optimum == null) {
      return solver.solve(costs, settings.tolerance(), limit - DESCENT_BEFORE_NEWTON);
    }
    solver.setAlpha(optimum);
    return true;
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
