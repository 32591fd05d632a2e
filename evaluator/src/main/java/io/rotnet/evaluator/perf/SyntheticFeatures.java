package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import java.util.Random;

/**
 * Non-negative clustered features shaped like pooled ResNet activations, for timing the
 * benchmarks at full scale without extracting them: each class has a random sparse centre and
 * every row is its centre plus noise, clipped at zero.
 */
public final class SyntheticFeatures {
  final FeatureMatrix features;
  final int[] labels;

  private SyntheticFeatures(FeatureMatrix features, int[] labels) {
    this.features = features;
    this.labels = labels;
  }

  public FeatureMatrix features() {
    return features;
  }

  public int[] labels() {
    return labels.clone();
  }

  public static SyntheticFeatures generate(int rows, int dims, int classes, long seed) {
    // the class centres depend on the shape only, so train and query sets share them
    Random centreRandom = new Random(31L * dims + classes);
    float[][] centres = new float[classes][dims];
    for (float[] centre : centres) {
      for (int d = 0; d < dims; d++) {
        centre[d] = centreRandom.nextFloat() < 0.3f ? centreRandom.nextFloat() * 2f : 0f;
      }
    }
    Random random = new Random(seed);
    float[] data = new float[rows * dims];
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      int c = random.nextInt(classes);
      labels[r] = c;
      int offset = r * dims;
      for (int d = 0; d < dims; d++) {
        data[offset + d] = Math.max(0f, centres[c][d] + (float) random.nextGaussian() * 0.8f);
      }
    }
    return new SyntheticFeatures(FeatureMatrix.wrap(rows, dims, data), labels);
  }
}
