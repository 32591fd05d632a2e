package io.rotnet.evaluator.linear;

import java.util.random.RandomGenerator;

/**
 * AlexNet-style PCA lighting noise as MMSelfSup's {@code Lighting}: alpha ~ Normal(0, alphastd)
 * per principal component, and every pixel of channel i (a [0, 1] tensor, before Normalize) is
 * shifted by sum_j eigvec[i][j] * alpha[j] * eigval[j], with ImageNet's eigenvalues and
 * eigenvectors.
 */
final class Lighting {
  static final double ALPHA_STD = 0.1;
  static final float[] EIGVAL = {0.2175f, 0.0188f, 0.0045f};
  static final float[][] EIGVEC = {
    {-0.5675f, 0.7192f, 0.4009f},
    {-0.5808f, -0.0045f, -0.8140f},
    {-0.5836f, -0.6948f, 0.4203f},
  };

  private Lighting() {}

  /** Draws alpha and returns the per-channel shift {r, g, b}. */
  static float[] shift(RandomGenerator random) {
    float[] alpha = new float[3];
    for (int j = 0; j < 3; j++) {
      alpha[j] = (float) (random.nextGaussian() * ALPHA_STD);
    }
    return shiftFor(alpha);
  }

  static float[] shiftFor(float[] alpha) {
    float[] rgb = new float[3];
    for (int i = 0; i < 3; i++) {
      float sum = 0;
      for (int j = 0; j < 3; j++) {
        sum += EIGVEC[i][j] * alpha[j] * EIGVAL[j];
      }
      rgb[i] = sum;
    }
    return rgb;
  }
}
