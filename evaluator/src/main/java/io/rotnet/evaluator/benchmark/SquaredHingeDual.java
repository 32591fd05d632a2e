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
 * vector (one O(dims) dot product per coordinate), it keeps the gradient Qa of the coordinates not
 * shrunk, so visiting a coordinate costs O(1) and changing one costs the active part of a row of Q
 * (shrunk coordinates get their gradient recomputed when the set is restored): the same iterates
 * with no pass over the features at all.
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
    int[] index = new int[size];
    for (int i = 0; i < size; i++) {
      index[i] = i;
    }
    int active = size;
    // the bound above which a coordinate at zero is shrunk (liblinear's PGmax_old)
    double maxOld = Double.POSITIVE_INFINITY;
    int epoch = 0;
    boolean converged = false;
    while (epoch < maxEpochs) {
      double maxNew = Double.NEGATIVE_INFINITY;
      double minNew = Double.POSITIVE_INFINITY;
      for (int i = 0; i < active; i++) {
        int j = i + random.nextInt(active - i);
        int t = index[i];
        index[i] = index[j];
        index[j] = t;
      }
      for (int s = 0; s < active; s++) {
        int i = index[s];
        double g = gradient[i] - 1 + diagonal[i] * alpha[i];
        double projected = 0;
        if (alpha[i] == 0) {
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
          double old = alpha[i];
          double curvature = q[i * size + i] + diagonal[i];
          alpha[i] = Math.max(old - g / curvature, 0);
          addRow(i, alpha[i] - old, index, active);
        }
      }
      epoch++;
      if (maxNew - minNew <= tolerance) {
        if (active == size) {
          converged = true;
          break;
        }
        refresh(index, active);
        active = size;
        maxOld = Double.POSITIVE_INFINITY;
        continue;
      }
      maxOld = maxNew <= 0 ? Double.POSITIVE_INFINITY : maxNew;
    }
    refresh(index, active);
    lastEpochs = epoch;
    return converged;
  }

  /**
   * gradient += delta * Q[row] (Q symmetric) on the active coordinates, index[0, active): a shrunk
   * coordinate is not visited again until the set is restored, so its gradient may go stale
   * meanwhile and is recomputed then ({@link #refresh}).
   */
  private void addRow(int row, double delta, int[] index, int active) {
    int offset = row * size;
    if (active == size) {
      for (int j = 0; j < size; j++) {
        gradient[j] += delta * q[offset + j];
      }
    } else {
      for (int s = 0; s < active; s++) {
        int j = index[s];
        gradient[j] += delta * q[offset + j];
      }
    }
  }

  /** Recomputes the gradient (Qa)_j of the shrunk coordinates, index[active, size). */
  private void refresh(int[] index, int active) {
    if (active == size) {
      return;
    }
    int support = 0;
    int[] nonZero = new int[size];
    for (int i = 0; i < size; i++) {
      if (alpha[i] != 0) {
        nonZero[support++] = i;
      }
    }
    for (int s = active; s < size; s++) {
      int j = index[s];
      int offset = j * size;
      double sum = 0;
      for (int k = 0; k < support; k++) {
        sum += q[offset + nonZero[k]] * alpha[nonZero[k]];
      }
      gradient[j] = sum;
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
