package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SquaredHingeDualTest {

  /** Q = y y' (X X' + 1) of random rows and labels. */
  private static float[] problem(int n, int dims, boolean[] positive, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[n][dims];
    for (int i = 0; i < n; i++) {
      positive[i] = random.nextBoolean();
      for (int d = 0; d < dims; d++) {
        x[i][d] = random.nextGaussian() / Math.sqrt(dims) + (positive[i] ? 0.1 : 0);
      }
    }
    float[] q = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double k = 1;
        for (int d = 0; d < dims; d++) {
          k += x[i][d] * x[j][d];
        }
        q[i * n + j] = (float) (positive[i] == positive[j] ? k : -k);
      }
    }
    return q;
  }

  /** The optimality conditions: a >= 0, gradient >= 0 where a = 0, gradient = 0 where a > 0. */
  private static double kktViolation(float[] q, int n, double[] alpha, double[] costs) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double g = -1 + alpha[i] * 0.5 / costs[i];
      for (int j = 0; j < n; j++) {
        g += q[i * n + j] * alpha[j];
      }
      assertThat(alpha[i]).isGreaterThanOrEqualTo(0);
      worst = Math.max(worst, alpha[i] > 0 ? Math.abs(g) : Math.max(0, -g));
    }
    return worst;
  }

  @Test
  void solvesToTheOptimalityConditionsAndWarmStartsReachTheColdSolution() {
    int n = 60;
    boolean[] positive = new boolean[n];
    float[] q = problem(n, 10, positive, 3);
    double[] costs = new double[n];
    for (int i = 0; i < n; i++) {
      costs[i] = 10 * (positive[i] ? 2 : 1);
    }
    SquaredHingeDual cold = new SquaredHingeDual(q, n, 1);
    assertThat(cold.solve(costs, 1e-6, 100_000)).isTrue();
    assertThat(kktViolation(q, n, cold.alpha(), costs)).isLessThan(1e-5);

    SquaredHingeDual warm = new SquaredHingeDual(q, n, 2);
    double[] small = costs.clone();
    for (int i = 0; i < n; i++) {
      small[i] /= 100;
    }
    assertThat(warm.solve(small, 1e-6, 100_000)).isTrue();
    assertThat(warm.solve(costs, 1e-6, 100_000)).isTrue();
    for (int i = 0; i < n; i++) {
      assertThat(warm.alpha()[i]).isCloseTo(cold.alpha()[i], org.assertj.core.api.Assertions.within(1e-4));
    }
  }

  /** Large enough that shrinking leaves out most coordinates, so the compact working sets are used. */
  @Test
  void compactWorkingSetsReachTheOptimalityConditionsAlongACostGrid() {
    int n = 400;
    boolean[] positive = new boolean[n];
    float[] q = problem(n, 40, positive, 5);
    SquaredHingeDual solver = new SquaredHingeDual(q, n, 7);
    for (double cost : new double[] {0.01, 1, 100}) {
      double[] costs = new double[n];
      for (int i = 0; i < n; i++) {
        costs[i] = cost * (positive[i] ? 2 : 1);
      }
      assertThat(solver.solve(costs, 1e-6, 1_000_000)).as("cost " + cost).isTrue();
      assertThat(kktViolation(q, n, solver.alpha(), costs)).as("cost " + cost).isLessThan(1e-5);
    }
    long support = java.util.Arrays.stream(solver.alpha()).filter(a -> a > 0).count();
    assertThat(support).as("a sparse solution, so most coordinates were shrunk").isLessThan(n / 2);
  }

  @Test
  void stopsAtTheEpochLimitAndSaysSo() {
    int n = 60;
    boolean[] positive = new boolean[n];
    float[] q = problem(n, 10, positive, 4);
    double[] costs = new double[n];
    java.util.Arrays.fill(costs, 1000);
    SquaredHingeDual solver = new SquaredHingeDual(q, n, 1);
    assertThat(solver.solve(costs, 1e-12, 3)).isFalse();
    assertThat(solver.lastEpochs()).isEqualTo(3);
  }
}
