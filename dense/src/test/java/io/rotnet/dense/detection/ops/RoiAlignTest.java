package io.rotnet.dense.detection.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import io.rotnet.model.GradMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The separable, windowed RoIAlign against mmcv's loop and against mmcv itself (fixture). */
class RoiAlignTest {

  private static final int B = 2;
  private static final int C = 3;
  private static final int H = 13;
  private static final int W = 17;

  /** RoIs inside, across every border, tiny, larger than the map, outside it, degenerate. */
  private static final float[] ROIS = {
    3, 4, 20, 18,
    -9, -5, 10, 12,
    20, 14, 40, 33,
    8.2f, 9.7f, 9.1f, 10.3f,
    -20, -20, 60, 50,
    45, 40, 60, 55,
    12, 12, 12, 12,
    0, 0, 34, 26,
  };
  private static final int[] IMAGES = {0, 1, 0, 1, 0, 1, 0, 1};

  @Test
  void matchesTheMmcvLoopForAdaptiveAndFixedSampling() {
    double[] features = randomFeatures(1);
    for (int sampling : new int[] {0, 2}) {
      for (int pooled : new int[] {7, 3}) {
        double[] expected =
            MmcvRoiAlignLoop.forward(features, C, H, W, ROIS, IMAGES, pooled, pooled, 0.5f, sampling);
        float[] actual = separable(features, ROIS, IMAGES, pooled, 0.5f, sampling);
        assertClose(actual, expected, 1e-5);
      }
    }
  }

  @Test
  void matchesMmcvOnTheGoldenFixture() {
    for (String name : new String[] {"roi_align_s0", "roi_align_s2"}) {
      JsonObject f = Fixtures.load(name);
      float[] feats = Fixtures.floats(f, "features");
      float[] rows = Fixtures.floats(f, "rois");
      int n = rows.length / 5;
      float[] rois = new float[n * 4];
      int[] images = new int[n];
      for (int i = 0; i < n; i++) {
        images[i] = (int) rows[5 * i];
        System.arraycopy(rows, 5 * i + 1, rois, 4 * i, 4);
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray x = manager.create(feats, new Shape(2, 3, 9, 11));
        RoiAlign op =
            new RoiAlign(f.get("pooled_h").getAsInt(), f.get("pooled_w").getAsInt(),
                f.get("scale").getAsFloat(), f.get("sampling_ratio").getAsInt());
        float[] actual = op.apply(x, rois, images).toFloatArray();
        float[] expected = Fixtures.floats(f, "output");
        assertThat(actual).containsExactly(expected, within(2e-6f));
      }
    }
  }

  @Test
  void featureGradientMatchesFiniteDifferences() {
    GradMode.disableOnThisThread();
    Engine.getInstance().setRandomSeed(3);
    double[] features = randomFeatures(2);
    int pooled = 3;
    float scale = 0.5f;
    Random random = new Random(4);
    double[] upstream = new double[ROIS.length / 4 * C * pooled * pooled];
    for (int i = 0; i < upstream.length; i++) {
      upstream[i] = random.nextGaussian();
    }
    float[] grad;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(toFloat(features), new Shape(B, C, H, W)).toType(DataType.FLOAT64, false);
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = new RoiAlign(pooled, pooled, scale, 0).apply(x, ROIS, IMAGES);
        NDArray loss = out.mul(manager.create(upstream, out.getShape())).sum();
        collector.backward(loss);
      }
      grad = x.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
    }
    // the loss is linear in the features, so a central difference of any step is exact up to
    // rounding; probe a spread of cells, including border ones
    double step = 0.5;
    for (int cell = 0; cell < features.length; cell += 7) {
      double[] plus = features.clone();
      double[] minus = features.clone();
      plus[cell] += step;
      minus[cell] -= step;
      double numeric = (dot(plus, upstream, pooled, scale) - dot(minus, upstream, pooled, scale)) / (2 * step);
      assertThat((double) grad[cell]).as("d loss / d feature[%d]", cell).isCloseTo(numeric, within(1e-5));
    }
  }

  @Test
  void emptyRoiListGivesAnEmptyBatch() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.zeros(new Shape(1, 4, 5, 5));
      assertThat(new RoiAlign(7, 7, 1f, 0).apply(x, new float[0], new int[0]).getShape())
          .isEqualTo(new Shape(0, 4, 7, 7));
    }
  }

  private static double dot(double[] features, double[] upstream, int pooled, float scale) {
    double[] out = MmcvRoiAlignLoop.forward(features, C, H, W, ROIS, IMAGES, pooled, pooled, scale, 0);
    double s = 0;
    for (int i = 0; i < out.length; i++) {
      s += out[i] * upstream[i];
    }
    return s;
  }

  private static float[] separable(double[] features, float[] rois, int[] images, int pooled, float scale, int sampling) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(toFloat(features), new Shape(B, C, H, W));
      return new RoiAlign(pooled, pooled, scale, sampling).apply(x, rois, images).toFloatArray();
    }
  }

  private static double[] randomFeatures(long seed) {
    Random random = new Random(seed);
    double[] f = new double[B * C * H * W];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) random.nextGaussian();
    }
    return f;
  }

  private static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static void assertClose(float[] actual, double[] expected, double tolerance) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }
}
