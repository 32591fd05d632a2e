package io.rotnet.dense.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The dense ops against scalar Java references, gradients by finite differences. */
class DenseOpsTest {

  /** torch's upsample_bilinear2d, one pixel at a time. */
  static double[] referenceResize(double[] x, int n, int h, int w, int oh, int ow, boolean alignCorners) {
    double[] out = new double[n * oh * ow];
    for (int p = 0; p < n; p++) {
      for (int oy = 0; oy < oh; oy++) {
        double sy = source(h, oh, oy, alignCorners);
        int y0 = (int) sy;
        int y1 = Math.min(y0 + 1, h - 1);
        double ly = sy - y0;
        for (int ox = 0; ox < ow; ox++) {
          double sx = source(w, ow, ox, alignCorners);
          int x0 = (int) sx;
          int x1 = Math.min(x0 + 1, w - 1);
          double lx = sx - x0;
          int b = p * h * w;
          out[p * oh * ow + oy * ow + ox] = (1 - ly) * ((1 - lx) * x[b + y0 * w + x0] + lx * x[b + y0 * w + x1])
              + ly * ((1 - lx) * x[b + y1 * w + x0] + lx * x[b + y1 * w + x1]);
        }
      }
    }
    return out;
  }

  static double source(int in, int out, int d, boolean alignCorners) {
    if (alignCorners) {
      return out > 1 ? d * (in - 1.0) / (out - 1.0) : 0;
    }
    double s = (d + 0.5) * in / out - 0.5;
    return Math.max(s, 0);
  }

  @Test
  void twoByTwoToFourByFourAsTorch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      assertThat(Bilinear.resize(x, 4, 4, false).toFloatArray()).containsExactly(
          1f, 1.25f, 1.75f, 2f, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3f, 3.25f, 3.75f, 4f);
      float third = 1f / 3;
      float[] corners = Bilinear.resize(x, 4, 4, true).toFloatArray();
      assertThat(corners[0]).isEqualTo(1f);
      assertThat(corners[1]).isCloseTo(1 + third, within(1e-6f));
      assertThat(corners[15]).isEqualTo(4f);
      assertThat(corners[4]).isCloseTo(1 + 2 * third, within(1e-6f));
    }
  }

  @Test
  void resizeMatchesTheScalarReferenceUpAndDownWithoutAntialiasAndItsGradient() {
    Random random = new Random(1);
    int[][] cases = {{5, 7, 12, 9}, {16, 16, 5, 6}, {9, 4, 3, 11}, {6, 6, 1, 1}};
    try (NDManager m = NDManager.newBaseManager()) {
      for (int[] c : cases) {
        for (boolean align : new boolean[] {false, true}) {
          int n = 2;
          double[] x = new double[n * c[0] * c[1]];
          for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
          }
          double[] expected = referenceResize(x, n, c[0], c[1], c[2], c[3], align);
          NDArray input = m.create(toFloat(x), new Shape(1, n, c[0], c[1]));
          float[] actual = Bilinear.resize(input, c[2], c[3], align).toFloatArray();
          for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
          }
          double[] g = new double[expected.length];
          for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
          }
          checkGradient(m, x, new Shape(1, n, c[0], c[1]),
              t -> Bilinear.resize(t, c[2], c[3], align).mul(m.create(toFloat(g), new Shape(1, n, c[2], c[3]))).sum(),
              v -> dot(referenceResize(v, n, c[0], c[1], c[2], c[3], align), g), 1e-3);
        }
      }
    }
  }

  static double referenceCrossEntropy(double[] logits, int[] labels, int n, int c, int hw, int ignore) {
    double sum = 0;
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < hw; i++) {
        int l = labels[p * hw + i];
        if (l == ignore) {
          continue;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          max = Math.max(max, logits[(p * c + k) * hw + i]);
        }
        double z = 0;
        for (int k = 0; k < c; k++) {
          z += Math.exp(logits[(p * c + k) * hw + i] - max);
        }
        sum += -(logits[(p * c + l) * hw + i] - max - Math.log(z));
      }
    }
    return sum / (n * hw); // ignored pixels count in the denominator (mmseg 0.x)
  }

  @Test
  void crossEntropyIgnoresLabel255AndAveragesOverAllPixels() {
    Random random = new Random(2);
    int n = 2;
    int c = 4;
    int h = 3;
    int w = 5;
    double[] logits = new double[n * c * h * w];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = 2 * random.nextGaussian();
    }
    int[] labels = new int[n * h * w];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(4) == 0 ? 255 : random.nextInt(c);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y = m.create(labels, new Shape(n, h, w));
      double expected = referenceCrossEntropy(logits, labels, n, c, h * w, 255);
      float actual = IgnoreCrossEntropy.loss(m.create(toFloat(logits), new Shape(n, c, h, w)), y, 255, 1f).getFloat();
      assertThat((double) actual).isCloseTo(expected, within(1e-5));
      assertThat((double) IgnoreCrossEntropy.loss(m.create(toFloat(logits), new Shape(n, c, h, w)), y, 255, 0.4f)
          .getFloat()).isCloseTo(0.4 * expected, within(1e-5));
      checkGradient(m, logits, new Shape(n, c, h, w), t -> IgnoreCrossEntropy.loss(t, y, 255, 1f),
          v -> referenceCrossEntropy(v, labels, n, c, h * w, 255), 1e-3);
    }
  }

  @Test
  void dropout2dZeroesWholeChannelsAndScalesTheRest() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      NDArray x = m.randomUniform(1f, 2f, new Shape(8, 64, 3, 3));
      assertThat(Dropout2d.apply(x, 0.1f, false).toFloatArray()).isEqualTo(x.toFloatArray());
      float[] in = x.toFloatArray();
      float[] out = Dropout2d.apply(x, 0.1f, true).toFloatArray();
      int dropped = 0;
      for (int plane = 0; plane < 8 * 64; plane++) {
        boolean zero = out[plane * 9] == 0f;
        dropped += zero ? 1 : 0;
        for (int i = plane * 9; i < plane * 9 + 9; i++) {
          assertThat(out[i]).isCloseTo(zero ? 0f : in[i] / 0.9f, within(1e-5f));
        }
      }
      // 512 planes at p = 0.1: 51 expected, sd 6.8
      assertThat(dropped).isBetween(25, 80);
      NDArray v = m.randomUniform(1f, 2f, new Shape(2, 6, 2, 2));
      v.setRequiresGradient(true);
      float[] result;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = Dropout2d.apply(v, 0.5f, true);
        result = y.toFloatArray();
        collector.backward(y.sum());
      }
      float[] grad = v.getGradient().toFloatArray();
      float[] values = v.toFloatArray();
      for (int i = 0; i < grad.length; i++) {
        assertThat(grad[i] * values[i]).isCloseTo(result[i], within(1e-5f)); // grad = mask / (1 - p)
      }
    }
  }

  private static void checkGradient(NDManager m, double[] x, Shape shape, Function<NDArray, NDArray> op,
      Function<double[], Double> reference, double tolerance) {
    NDArray input = m.create(toFloat(x), shape);
    input.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(op.apply(input));
    }
    float[] grad = input.getGradient().toFloatArray();
    double eps = 1e-4;
    for (int i = 0; i < x.length; i += Math.max(1, x.length / 40)) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += eps;
      minus[i] -= eps;
      double numeric = (reference.apply(plus) - reference.apply(minus)) / (2 * eps);
      assertThat((double) grad[i]).as("d/dx[%d]", i).isCloseTo(numeric, within(tolerance));
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }
}
