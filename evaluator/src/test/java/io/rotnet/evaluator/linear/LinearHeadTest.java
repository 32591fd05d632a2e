package io.rotnet.evaluator.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearHeadTest {

  @Test
  void batchNormStatisticsArePerChannelOverBatchAndGrid() {
    int n = 6;
    int channels = 3;
    int spatial = 4;
    Random random = new Random(1);
    float[] x = new float[n * channels * spatial];
    for (int i = 0; i < x.length; i++) {
      // a different offset and spread per channel, so a per-feature or global norm would differ
      int c = (i / spatial) % channels;
      x[i] = (float) (c * 5 + random.nextGaussian() * (c + 1));
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      LinearHead head = new LinearHead(manager, "t", channels, spatial, 2, true, new Random(2));
      NDArray normalized = head.normalizeTraining(manager.create(x, new Shape(n, channels * spatial)));
      float[] out = normalized.toFloatArray();
      float[] runningMean = head.runningMean.toFloatArray();
      float[] runningVar = head.runningVar.toFloatArray();
      for (int c = 0; c < channels; c++) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
          for (int s = 0; s < spatial; s++) {
            sum += x[(b * channels + c) * spatial + s];
          }
        }
        double mean = sum / (n * spatial);
        double squares = 0;
        for (int b = 0; b < n; b++) {
          for (int s = 0; s < spatial; s++) {
            double d = x[(b * channels + c) * spatial + s] - mean;
            squares += d * d;
          }
        }
        double biased = squares / (n * spatial);
        double unbiased = squares / (n * spatial - 1);
        assertThat(runningMean[c]).isCloseTo((float) (0.1 * mean), within(1e-5f));
        assertThat(runningVar[c]).isCloseTo((float) (0.9 + 0.1 * unbiased), within(1e-4f));
        for (int b = 0; b < n; b++) {
          for (int s = 0; s < spatial; s++) {
            int i = (b * channels + c) * spatial + s;
            assertThat(out[i]).isCloseTo((float) ((x[i] - mean) / Math.sqrt(biased + 1e-5)), within(1e-4f));
          }
        }
      }
      // inference uses the running estimates
      float[] inference = head.normalizeInference(manager.create(x, new Shape(n, channels * spatial))).toFloatArray();
      int i = (2 * channels + 1) * spatial + 3;
      assertThat(inference[i]).isCloseTo((float) ((x[i] - runningMean[1]) / Math.sqrt(runningVar[1] + 1e-5)), within(1e-4f));
    }
  }

  @Test
  void sgdStepIsTorchsNesterovUpdateOnTheCrossEntropyGradient() {
    float[] inputs = {1f, 2f, -1f, 0.5f};
    try (NDManager manager = NDManager.newBaseManager()) {
      LinearHead head = new LinearHead(manager, "t", 2, 1, 2, false, new Random(3));
      float[] w0 = head.weight.toFloatArray();
      double lr = 0.1;
      double mu = 0.9;
      double wd = 0.01;
      NDArray x = manager.create(inputs, new Shape(2, 2));
      NDArray target = manager.create(new int[] {0, 1}).oneHot(2);
      head.step(x, target, lr, mu, true, wd);
      head.step(x, target, lr, mu, true, wd);

      double[] w = new double[4];
      double[] b = new double[2];
      double[] vw = new double[4];
      double[] vb = new double[2];
      for (int i = 0; i < 4; i++) {
        w[i] = w0[i];
      }
      for (int step = 0; step < 2; step++) {
        double[] gw = new double[4];
        double[] gb = new double[2];
        for (int r = 0; r < 2; r++) {
          double z0 = w[0] * inputs[2 * r] + w[1] * inputs[2 * r + 1] + b[0];
          double z1 = w[2] * inputs[2 * r] + w[3] * inputs[2 * r + 1] + b[1];
          double p0 = 1 / (1 + Math.exp(z1 - z0));
          double[] g = {(p0 - (r == 0 ? 1 : 0)) / 2, (1 - p0 - (r == 1 ? 1 : 0)) / 2};
          for (int k = 0; k < 2; k++) {
            gb[k] += g[k];
            gw[2 * k] += g[k] * inputs[2 * r];
            gw[2 * k + 1] += g[k] * inputs[2 * r + 1];
          }
        }
        for (int i = 0; i < 4; i++) {
          double d = gw[i] + wd * w[i];
          vw[i] = mu * vw[i] + d;
          w[i] -= lr * (d + mu * vw[i]);
        }
        for (int k = 0; k < 2; k++) {
          double d = gb[k] + wd * b[k];
          vb[k] = mu * vb[k] + d;
          b[k] -= lr * (d + mu * vb[k]);
        }
      }
      float[] actual = head.weight.toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertThat(actual[i]).isCloseTo((float) w[i], within(1e-5f));
      }
      assertThat(head.bias.toFloatArray()[1]).isCloseTo((float) b[1], within(1e-5f));
    }
  }
}
