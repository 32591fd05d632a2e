package io.rotnet.evaluator.benchmark;

import java.util.SplittableRandom;

/**
 * The dual coordinate descent of liblinear's {@code L2R_L2LOSS_SVC_DUAL} (Hsieh et al., ICML 2008),
 * which scikit-learn's {@code LinearSVC(dual=True)} runs, on a precomputed kernel instead of the
 * feature rows. The problem, for labels y in {-1, +1} and per-example costs C_i:
 *
 * <pre>
 *   min_a  1/2 a'(Q + D)a - 1'a   subject to a >= 0,   Q_ij = y_i y_j K_ij,   D_ii = 1 / (2 C_i)
 * </pre>
 *
 * with K the linear kernel of the rows plus bias^2 (the bias feature). Instead of liblinear's weight
 * vector (one O(dims) dot product per coordinate), it keeps the gradient Qa of the coordinates it
 * works on, so visiting a coordinate costs O(1) and changing one costs one contiguous row of Q:
 * once shrinking has left out a quarter of them, the rest get a compact copy of their part of Q
 * ({@code WorkingSet}), and those left out get their gradient recomputed when the set is
 * restored. The same iterates, with no pass over the features at all.
 * Shrinking and the stopping rule are liblinear's: an epoch visits the active coordinates in a
 * random order, and the solver stops when the projected gradient's spread (max - min) falls to
 * {@code tolerance} on the whole, unshrunk set, or after {@code maxEpochs}. Being the same convex
 * problem with one optimum, it reaches the reference's solution up to that tolerance.
 */
final class SquaredHingeDual {
  private final float[] q;
  private final int size;
  private final double[] diagonal;
  private final double[] alpha;
  private final double[] gradient;
  private final SplittableRandom random;
  private int lastEpochs;

  /**
   * @param q the row-major size x size matrix Q (labels folded in); kept, never changed
   * @param seed seeds the visiting order
   */
  SquaredHingeDual(float[] q, int size, long seed) {
    if ((long) size * size != q.length) {
      throw new IllegalArgumentException("Q holds " + q.length + " values for " + size + " examples");
    }
    this.q = q;
    this.size = size;
    this.diagonal = new double[size];
    this.alpha = new double[size];
    this.gradient = new double[size];
    this.random = new SplittableRandom(seed);
  }

  /**
   * Solves for the given per-example costs, starting from the previous solution (zero at first):
   * solving along increasing costs is a warm start, since every a >= 0 is feasible for any cost.
   *
   * @return true when the tolerance was reached before {@code maxEpochs}
   */
  boolean solve(double[] costs, double tolerance, int maxEpochs) {
    for (int i = 0; i < size; i++) {
      diagonal[i] = 0.5 / costs[i];
    }
    WorkingSet set = WorkingSet.all(this);
    // the bound above which a coordinate at zero is shrunk (liblinear's PGmax_old)
    double maxOld = Double.POSITIVE_INFINITY;
    int epoch = 0;
    boolean converged = false;
    while (epoch < maxEpochs) {
      double maxNew = Double.NEGATIVE_INFINITY;
      double minNew = Double.POSITIVE_INFINITY;
      int[] index = set.index;
      double[] a = set.alpha;
      double[] grad = set.gradient;
      double[] diag = set.diagonal;
      int active = set.active;
      for (int i = 0; i < active; i++) {
        int j = i + random.nextInt(active - i);
        int t = index[i];
        index[i] = index[j];
        index[j] = t;
      }
      for (int s = 0; s < active; s++) {
        int i = index[s];
        double g = grad[i] - 1 + diag[i] * a[i];
        double projected = 0;
        if (a[i] == 0) {
          if (g > maxOld) {
            active--;
            index[s] = index[active];
            index[active] = i;
            s--;
            continue;
          }
          if (g < 0) {
            projected = g;
          }
        } else {
          projected = g;
        }
        maxNew = Math.max(maxNew, projected);
        minNew = Math.min(minNew, projected);
        if (Math.abs(projected) > 1e-12) {
          double old = a[i];
          a[i] = Math.max(old - g / (set.q[i * set.width + i] + diag[i]), 0);
          set.addRow(i, a[i] - old);
        }
      }
      set.active = active;
      epoch++;
      if (maxNew - minNew <= tolerance) {
        if (active == size) { // only the whole set can hold every coordinate
          converged = true;
          break;
        }
        set = set.restore();
        maxOld = Double.POSITIVE_INFINITY;
        continue;
      }
      maxOld = maxNew <= 0 ? Double.POSITIVE_INFINITY : maxNew;
      set = set.compactIfSparse();
    }
    set.restore();
    lastEpochs = epoch;
    return converged;
  }

  /**
   * The coordinates an epoch works on, with their own copy of Q's rows and columns once shrinking
   * has left out enough of them: a change then updates one contiguous row of the copy (a loop the
   * JIT vectorizes) instead of gathering the active coordinates from the full Q. Positions in the
   * set are local; {@code index[0, active)} are the active ones. A coordinate leaves the set only
   * when shrunk, that is at a_i = 0, where it stays until the set is restored.
   */
  private static final class WorkingSet {
    /** Compact once the active coordinates are at most this share of the set... */
    private static final double COMPACT_SHARE = 0.75;
    /** ...and at least this many would be left out. */
    private static final int COMPACT_MIN_SAVING = 16;

    private final SquaredHingeDual solver;
    private final int[] globals;
    private final float[] q;
    private final int width;
    private final double[] alpha;
    private final double[] gradient;
    private final double[] diagonal;
    private final int[] index;
    private int active;

    private WorkingSet(SquaredHingeDual solver, int[] globals, float[] q, int width, double[] alpha,
        double[] gradient, double[] diagonal) {
      this.solver = solver;
      this.globals = globals;
      this.q = q;
      this.width = width;
      this.alpha = alpha;
      this.gradient = gradient;
      this.diagonal = diagonal;
      this.index = new int[width];
      for (int i = 0; i < width; i++) {
        index[i] = i;
      }
      this.active = width;
    }

    /** Every coordinate, on the solver's own arrays. */
    static WorkingSet all(SquaredHingeDual solver) {
      return new WorkingSet(solver, null, solver.q, solver.size, solver.alpha, solver.gradient, solver.diagonal);
    }

    /** gradient += delta * Q[row] over the set (Q symmetric); coordinates outside it go stale. */
    void addRow(int row, double delta) {
      int offset = row * width;
      for (int j = 0; j < width; j++) {
        gradient[j] += delta * q[offset + j];
      }
    }

    /** A set of the active coordinates only, when that saves enough work; otherwise this one. */
    WorkingSet compactIfSparse() {
      if (active > COMPACT_SHARE * width || width - active < COMPACT_MIN_SAVING) {
        return this;
      }
      int n = active;
      int[] picked = java.util.Arrays.copyOf(index, n);
      java.util.Arrays.sort(picked); // keeps rows in memory order while copying
      int[] newGlobals = new int[n];
      float[] newQ = new float[n * n];
      double[] newAlpha = new double[n];
      double[] newGradient = new double[n];
      double[] newDiagonal = new double[n];
      for (int t = 0; t < n; t++) {
        int p = picked[t];
        newGlobals[t] = globals == null ? p : globals[p];
        newAlpha[t] = alpha[p];
        newGradient[t] = gradient[p];
        newDiagonal[t] = diagonal[p];
        int from = p * width;
        int to = t * n;
        for (int u = 0; u < n; u++) {
          newQ[to + u] = q[from + picked[u]];
        }
      }
      return new WorkingSet(solver, newGlobals, newQ, n, newAlpha, newGradient, newDiagonal);
    }

    /**
     * Every coordinate again: this set's values written back, a_i = 0 for those left out, and
     * the gradient (Qa)_j recomputed for them (it went stale when they left).
     */
    WorkingSet restore() {
      if (globals == null) {
        return active == width ? this : all(solver); // every gradient of the whole set is current
      }
      boolean[] current = new boolean[solver.size];
      java.util.Arrays.fill(solver.alpha, 0);
      for (int t = 0; t < width; t++) {
        solver.alpha[globals[t]] = alpha[t];
        solver.gradient[globals[t]] = gradient[t];
        current[globals[t]] = true;
      }
      solver.refresh(current);
      return all(solver);
    }
  }

  /** Recomputes the gradient (Qa)_j of every coordinate not marked current, from the support. */
  private void refresh(boolean[] current) {
    int support = 0;
    int[] nonZero = new int[size];
    for (int i = 0; i < size; i++) {
      if (alpha[i] != 0) {
        nonZero[support++] = i;
      }
    }
    for (int j = 0; j < size; j++) {
      if (current[j]) {
        continue;
      }
      int offset = j * size;
      double sum = 0;
      for (int k = 0; k < support; k++) {
        sum += q[offset + nonZero[k]] * alpha[nonZero[k]];
      }
      gradient[j] = sum;
    }
  }

  /**
   * Replaces the dual variables (by another solver's solution, which the next {@link #solve} then
   * checks with the stopping rule and goes on from) and recomputes the gradient Qa.
   */
  void setAlpha(double[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException(values.length + " dual variables for " + size + " examples");
    }
    System.arraycopy(values, 0, alpha, 0, size);
    java.util.Arrays.fill(gradient, 0);
    for (int i = 0; i < size; i++) {
      double a = alpha[i];
      if (a != 0) {
        int offset = i * size;
        for (int j = 0; j < size; j++) {
          gradient[j] += a * q[offset + j];
        }
      }
    }
  }

  /** The dual variables a_i of the last solve; the primal weights are sum_i a_i y_i x_i. */
  double[] alpha() {
    return alpha;
  }

  /** Epochs the last solve ran. */
  int lastEpochs() {
    return lastEpochs;
  }
}
