package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SquaredHingeNewtonTest {
  private static final int ROWS = 300;
  private static final int DIMS = 21; // 20 features and the bias

  /** Overlapping classes, so that a large cost leaves many examples inside the margin. */
  private final float[] x = new float[ROWS * DIMS];
  private final boolean[] positive = new boolean[ROWS];

  SquaredHingeNewtonTest() {
    Random random = new Random(11);
    for (int i = 0; i < ROWS; i++) {
      positive[i] = random.nextInt(3) == 0;
      for (int d = 0; d < DIMS - 1; d++) {
        x[i * DIMS + d] = (float) (random.nextGaussian() / Math.sqrt(DIMS) + (positive[i] && d < 3 ? 0.15 : 0));
      }
      x[i * DIMS + DIMS - 1] = 1;
    }
  }

  private float[] problem() {
    float[] q = new float[ROWS * ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < ROWS; j++) {
        double k = 0;
        for (int d = 0; d < DIMS; d++) {
          k += (double) x[i * DIMS + d] * x[j * DIMS + d];
        }
        q[i * ROWS + j] = (float) (positive[i] == positive[j] ? k : -k);
      }
    }
    return q;
  }

  private double[] costs(double cost) {
    double[] costs = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      costs[i] = cost * (positive[i] ? 2 : 1);
    }
    return costs;
  }

  /**
   * The dual descent, run to a tight tolerance, and Newton reach the same optimum: the same primal
   * objective to 1e-7, Newton's no higher, and decision values within 1e-3 (the descent works on a
   * float kernel, where a_i of several hundred carry its rounding into the decisions).
   */
  @Test
  void reachesTheOptimumTheDualDescentConvergesTo() {
    SquaredHingeNewton newton = new SquaredHingeNewton(x, DIMS, positive);
    SquaredHingeDual dual = new SquaredHingeDual(problem(), ROWS, 3);
    for (double cost : new double[] {0.1, 10, 100}) {
      double[] costs = costs(cost);
      assertThat(dual.solve(costs, 1e-7, 10_000_000)).as("cost " + cost).isTrue();
      double[] alpha = newton.solve(costs, new double[ROWS]);
      assertThat(alpha).as("cost " + cost).isNotNull();
      double[] ours = weights(alpha);
      double[] descent = weights(dual.alpha());
      assertThat(objective(ours, costs)).as("cost " + cost).isLessThanOrEqualTo(objective(descent, costs) * (1 + 1e-12));
      assertThat(objective(ours, costs)).isCloseTo(objective(descent, costs), within(1e-7 * objective(descent, costs)));
      for (int i = 0; i < ROWS; i++) {
        assertThat(decision(ours, i)).as("cost " + cost + ", f(x_" + i + ")").isCloseTo(decision(descent, i), within(1e-3));
      }
    }
  }

  /** w = sum_i a_i y_i x_i. */
  private double[] weights(double[] alpha) {
    double[] w = new double[DIMS];
    for (int i = 0; i < ROWS; i++) {
      for (int d = 0; d < DIMS; d++) {
        w[d] += alpha[i] * (positive[i] ? 1 : -1) * x[i * DIMS + d];
      }
    }
    return w;
  }

  private double decision(double[] w, int row) {
    double f = 0;
    for (int d = 0; d < DIMS; d++) {
      f += w[d] * x[row * DIMS + d];
    }
    return f;
  }

  private double objective(double[] w, double[] costs) {
    double value = 0;
    for (double v : w) {
      value += v * v / 2;
    }
    for (int i = 0; i < ROWS; i++) {
      double gap = Math.max(0, 1 - (positive[i] ? 1 : -1) * decision(w, i));
      value += costs[i] * gap * gap;
    }
    return value;
  }

  @Test
  void aWarmStartReachesTheSameOptimum() {
    SquaredHingeNewton newton = new SquaredHingeNewton(x, DIMS, positive);
    double[] cold = newton.solve(costs(100), new double[ROWS]);
    double[] warm = newton.solve(costs(100), newton.solve(costs(1), new double[ROWS]));
    assertThat(warm).containsExactly(cold, within(1e-6 * java.util.Arrays.stream(cold).max().orElseThrow()));
  }

  @Test
  void summingTheGramMatrixOverBlocksOfRowsChangesNothing() {
    double[] whole = new SquaredHingeNewton(x, DIMS, positive).solve(costs(10), new double[ROWS]);
    double[] blocks = new SquaredHingeNewton(x, DIMS, positive, 7).solve(costs(10), new double[ROWS]);
    assertThat(blocks).containsExactly(whole, within(1e-9 * java.util.Arrays.stream(whole).max().orElseThrow()));
  }

  @Test
  void theLineSearchStopsAtTheMinimumAlongTheDirection() {
    Random random = new Random(5);
    int n = 50;
    double[] w = {0.3, -0.2};
    double[] d = {-0.5, 0.8};
    double[] margin = new double[n];
    double[] change = new double[n];
    double[] costs = new double[n];
    for (int i = 0; i < n; i++) {
      margin[i] = random.nextGaussian() + 0.5;
      change[i] = random.nextGaussian();
      costs[i] = 0.5 + random.nextDouble();
    }
    double t = SquaredHingeNewton.lineSearch(w, d, margin, change, costs);
    double best = Double.POSITIVE_INFINITY;
    double bestT = -1;
    for (double s = 0; s <= 5; s += 1e-5) {
      double value = along(w, d, margin, change, costs, s);
      if (value < best) {
        best = value;
        bestT = s;
      }
    }
    assertThat(t).isCloseTo(bestT, within(1e-4));
    assertThat(along(w, d, margin, change, costs, t)).isLessThanOrEqualTo(best + 1e-12);
  }

  private static double along(double[] w, double[] d, double[] margin, double[] change, double[] costs, double t) {
    double value = 0;
    for (int j = 0; j < w.length; j++) {
      value += 0.5 * (w[j] + t * d[j]) * (w[j] + t * d[j]);
    }
    for (int i = 0; i < margin.length; i++) {
      double gap = Math.max(0, 1 - margin[i] - t * change[i]);
      value += costs[i] * gap * gap;
    }
    return value;
  }

  @Test
  void choleskySolvesASymmetricPositiveDefiniteSystem() {
    double[] a = {4, 2, 0.6, 2, 5, 1, 0.6, 1, 3};
    double[] b = {1, -2, 0.5};
    double[] solution = SquaredHingeNewton.Cholesky.solve(a.clone(), 3, b);
    for (int i = 0; i < 3; i++) {
      double row = 0;
      for (int j = 0; j < 3; j++) {
        row += a[i * 3 + j] * solution[j];
      }
      assertThat(row).isCloseTo(b[i], within(1e-12));
    }
  }
}
