package io.rotnet.evaluator.benchmark;

import java.util.Random;

/** Labelled points around well separated class centres, for known-answer tests. */
final class Clusters {
  final FeatureMatrix features;
  final int[] labels;

  private Clusters(FeatureMatrix features, int[] labels) {
    this.features = features;
    this.labels = labels;
  }

  /**
   * {@code perClass} points per class in {@code dims} dimensions: class c is centred on
   * {@code separation} along axis c, with Gaussian noise of the given standard deviation.
   */
  static Clusters generate(int classes, int perClass, int dims, double separation, double noise, long seed) {
    Random random = new Random(seed);
    int n = classes * perClass;
    float[] data = new float[n * dims];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % classes; // interleaved, as a shuffled dataset would be
      labels[i] = c;
      for (int d = 0; d < dims; d++) {
        data[i * dims + d] = (float) (random.nextGaussian() * noise + (d == c ? separation : 0));
      }
    }
    return new Clusters(FeatureMatrix.wrap(n, dims, data), labels);
  }

  /** Features with no relation to the labels. */
  static FeatureMatrix noise(int rows, int dims, long seed) {
    Random random = new Random(seed);
    float[] data = new float[rows * dims];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return FeatureMatrix.wrap(rows, dims, data);
  }
}
