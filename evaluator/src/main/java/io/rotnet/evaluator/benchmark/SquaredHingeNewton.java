package io.rotnet.evaluator.benchmark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rotnet.model.GradMode;
import java.util.Arrays;

/**
 * The same squared-hinge SVM as {@link SquaredHingeDual}, solved in the primal by the finite Newton
 * method of Keerthi and DeCoste (JMLR 2005, L2-SVM-MFN), for problems with fewer feature dimensions
 * than examples:
 *
 * <pre>
 *   min_w  1/2 w'w + sum_i C_i max(0, 1 - y_i w'x_i)^2
 * </pre>
 *
 * Each step takes the examples inside the margin, S, solves the quadratic they give exactly,
 * (I + 2 X_S' C_S X_S) w = 2 X_S' C_S y_S (a dims x dims system: its Gram matrix on the engine,
 * its Cholesky factorisation here), and moves towards that solution by an exact line search of
 * the piecewise-quadratic objective. It stops when a full step leaves S unchanged, which is the
 * optimum. On large costs, where the dual coordinate descent needs thousands of epochs, this takes
 * a handful of steps. The result is given back as dual variables, a_i = 2 C_i max(0, 1 - y_i w'x_i),
 * so that the dual solver can check it with its own stopping rule and go on from it.
 */
final class SquaredHingeNewton {
  private static final int MAX_STEPS = 50;
  /** Widest system solved this way: its Cholesky factorisation costs dims^3 / 6 per step. */
  static final int MAX_DIMS = 2048;
  private static final int BLOCK_ROWS = 4096;

  private final float[] x;
  private final int rows;
  private final int dims;
  private final boolean[] positive;
  private final int blockRows;

  /**
   * @param x the examples' rows, bias feature included, row-major rows x dims
   * @param positive each example's label
   */
  SquaredHingeNewton(float[] x, int dims, boolean[] positive) {
    this(x, dims, positive, BLOCK_ROWS);
  }

  /** With the Gram matrix summed over blocks of {@code blockRows} rows. */
  SquaredHingeNewton(float[] x, int dims, boolean[] positive, int blockRows) {
    if (x.length != (long) positive.length * dims) {
      throw new IllegalArgumentException(x.length + " values for " + positive.length + " rows of " + dims);
    }
    this.x = x;
    this.rows = positive.length;
    this.dims = dims;
    this.positive = positive;
    this.blockRows = blockRows;
  }

  /**
   * Solves for the given per-example costs from the primal point of the dual variables {@code
   * start} (w = sum_i a_i y_i x_i).
   *
   * @return the optimum's dual variables, or null when {@value #MAX_STEPS} steps were not enough
   *     or the system could not be factorised
   */
  double[] solve(double[] costs, double[] start) {
    double[] w = new double[dims];
    for (int i = 0; i < rows; i++) {
      if (start[i] != 0) {
        axpy(label(i) * start[i], i, w);
      }
    }
    double[] margin = margins(w);
    double objective = objective(w, margin, costs);
    GradMode.disableOnThisThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int step = 0; step < MAX_STEPS; step++) {
        boolean[] inside = new boolean[rows];
        for (int i = 0; i < rows; i++) {
          inside[i] = margin[i] < 1;
        }
        double[] direction;
        try {
          direction = newtonPoint(manager, inside, costs);
        } catch (ArithmeticException e) {
          return null; // rounding broke the system: the dual descent goes on instead
        }
        for (int j = 0; j < dims; j++) {
          direction[j] -= w[j];
        }
        double[] change = new double[rows];
        for (int i = 0; i < rows; i++) {
          change[i] = label(i) * dot(i, direction);
        }
        double t = lineSearch(w, direction, margin, change, costs);
        boolean same = true;
        for (int j = 0; j < dims; j++) {
          w[j] += t * direction[j];
        }
        for (int i = 0; i < rows; i++) {
          margin[i] += t * change[i];
          same &= (margin[i] < 1) == inside[i];
        }
        double next = objective(w, margin, costs);
        boolean stalled = objective - next <= 1e-13 * Math.abs(objective);
        objective = next;
        if ((same && t >= 1 - 1e-9) || stalled) {
          margin = margins(w);
          double[] alpha = new double[rows];
          for (int i = 0; i < rows; i++) {
            alpha[i] = 2 * costs[i] * Math.max(0, 1 - margin[i]);
          }
          return alpha;
        }
      }
    }
    return null;
  }

  /** The minimiser of the quadratic the examples {@code inside} the margin give. */
  private double[] newtonPoint(NDManager manager, boolean[] inside, double[] costs) {
    // H = I + Z'Z with the rows z_i = sqrt(2 C_i) x_i of S, summed over blocks of rows so that
    // no more than a block is ever copied; b = sum_S 2 C_i y_i x_i
    double[] h = new double[dims * dims];
    double[] b = new double[dims];
    double[] z = new double[blockRows * dims];
    int filled = 0;
    for (int i = 0; i < rows; i++) {
      if (!inside[i]) {
        continue;
      }
      double scale = Math.sqrt(2 * costs[i]);
      int from = i * dims;
      int to = filled * dims;
      for (int j = 0; j < dims; j++) {
        z[to + j] = scale * x[from + j];
      }
      axpy(2 * costs[i] * label(i), i, b);
      if (++filled == blockRows) {
        addGram(manager, z, filled, h);
        filled = 0;
      }
    }
    if (filled > 0) {
      addGram(manager, z, filled, h);
    }
    for (int j = 0; j < dims; j++) {
      h[j * dims + j] += 1;
    }
    return Cholesky.solve(h, dims, b);
  }

  /** h += Z'Z for the first {@code count} rows of z, a matrix product on the engine in double precision. */
  private void addGram(NDManager manager, double[] z, int count, double[] h) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray block = scope.create(Arrays.copyOf(z, count * dims), new Shape(count, dims));
      double[] gram = block.transpose().matMul(block).toDoubleArray();
      for (int k = 0; k < h.length; k++) {
        h[k] += gram[k];
      }
    }
  }

  /**
   * The step t >= 0 minimising the objective along w + t d: its derivative is piecewise linear and
   * increasing in t, so walk its breakpoints (where an example enters or leaves the margin) in
   * order until the segment holding its root.
   */
  static double lineSearch(double[] w, double[] d, double[] margin, double[] change, double[] costs) {
    double slope = 0; // derivative at t = 0 on the current segment: slope + curvature * t
    double curvature = 0;
    for (int j = 0; j < w.length; j++) {
      slope += w[j] * d[j];
      curvature += d[j] * d[j];
    }
    int n = margin.length;
    double[] times = new double[n];
    Integer[] events = new Integer[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      double gap = 1 - margin[i];
      boolean in = gap > 0;
      if (in) {
        slope -= 2 * costs[i] * change[i] * gap;
        curvature += 2 * costs[i] * change[i] * change[i];
      }
      if (in ? change[i] > 0 : change[i] < 0) {
        times[i] = gap / change[i];
        events[count++] = i;
      }
    }
    Arrays.sort(events, 0, count, (a, b) -> Double.compare(times[a], times[b]));
    for (int e = 0; e < count; e++) {
      int i = events[e];
      if (curvature > 0 && -slope / curvature <= times[i]) {
        break;
      }
      double gap = 1 - margin[i];
      double sign = gap > 0 ? 1 : -1; // leaving the margin, or entering it
      slope += sign * 2 * costs[i] * change[i] * gap;
      curvature -= sign * 2 * costs[i] * change[i] * change[i];
    }
    return curvature > 0 ? Math.max(0, -slope / curvature) : 0;
  }

  private double objective(double[] w, double[] margin, double[] costs) {
    double sum = 0;
    for (double v : w) {
      sum += v * v;
    }
    sum /= 2;
    for (int i = 0; i < rows; i++) {
      double gap = Math.max(0, 1 - margin[i]);
      sum += costs[i] * gap * gap;
    }
    return sum;
  }

  private double[] margins(double[] w) {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = label(i) * dot(i, w);
    }
    return out;
  }

  private double label(int i) {
    return positive[i] ? 1 : -1;
  }

  private double dot(int row, double[] v) {
    int offset = row * dims;
    double sum = 0;
    for (int j = 0; j < dims; j++) {
      sum += x[offset + j] * v[j];
    }
    return sum;
  }

  private void axpy(double scale, int row, double[] out) {
    int offset = row * dims;
    for (int j = 0; j < dims; j++) {
      out[j] += scale * x[offset + j];
    }
  }

  /** Symmetric positive definite solves (DJL's NDArray has no Cholesky). */
  static final class Cholesky {
    private Cholesky() {}

    /** x with A x = b, for A row-major n x n (overwritten by its factor). */
    static double[] solve(double[] a, int n, double[] b) {
      for (int j = 0; j < n; j++) {
        int rj = j * n;
        double d = a[rj + j];
        for (int k = 0; k < j; k++) {
          d -= a[rj + k] * a[rj + k];
        }
        if (!(d > 0)) {
          throw new ArithmeticException("matrix not positive definite at column " + j);
        }
        d = Math.sqrt(d);
        a[rj + j] = d;
        for (int i = j + 1; i < n; i++) {
          int ri = i * n;
          double s = a[ri + j];
          for (int k = 0; k < j; k++) {
            s -= a[ri + k] * a[rj + k];
          }
          a[ri + j] = s / d;
        }
      }
      double[] y = b.clone();
      for (int i = 0; i < n; i++) {
        int ri = i * n;
        double s = y[i];
        for (int k = 0; k < i; k++) {
          s -= a[ri + k] * y[k];
        }
        y[i] = s / a[ri + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int k = i + 1; k < n; k++) {
          s -= a[k * n + i] * y[k];
        }
        y[i] = s / a[i * n + i];
      }
      return y;
    }
  }
}
