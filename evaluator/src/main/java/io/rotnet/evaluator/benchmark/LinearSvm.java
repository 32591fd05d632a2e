package io.rotnet.evaluator.benchmark;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/** A trained binary linear SVM: weights over the features plus the bias weight. */
final class LinearSvm {
  static {
    // liblinear prints solver progress to stdout unless told otherwise
    Linear.disableDebugOutput();
  }

  private final float[] weights;
  private final double biasWeight;
  private final double bias;

  private LinearSvm(float[] weights, double biasWeight, double bias) {
    this.weights = weights;
    this.biasWeight = biasWeight;
    this.bias = bias;
  }

  /**
   * Trains on the rows at {@code indices} with labels {@code positive[i]} (true = +1). A training
   * set with a single label gives a constant scorer (+1 or -1), as liblinear cannot separate
   * nothing.
   */
  static LinearSvm train(
      SvmRows rows, int[] indices, boolean[] positive, double cost, SvmSettings settings) {
    int dims = rows.featureCount() - 1;
    int positives = 0;
    for (boolean p : positive) {
      positives += p ? 1 : 0;
    }
    if (positives == 0 || positives == indices.length) {
      return new LinearSvm(new float[dims], positives == 0 ? -1.0 : 1.0, 1.0);
    }
    Problem problem = new Problem();
    problem.l = indices.length;
    problem.n = rows.featureCount();
    problem.bias = settings.bias();
    problem.x = new Feature[indices.length][];
    problem.y = new double[indices.length];
    for (int i = 0; i < indices.length; i++) {
      problem.x[i] = rows.row(indices[i]);
      problem.y[i] = positive[i] ? 1 : -1;
    }
    // a fresh Parameter per training: it carries the solver's seeded Random, so results do not
    // depend on which thread trained which class first
    Parameter parameter =
        new Parameter(
            SolverType.L2R_L2LOSS_SVC_DUAL, cost, settings.maxIterations(), settings.tolerance());
    parameter.setWeights(
        new double[] {settings.positiveWeight(), settings.negativeWeight()}, new int[] {1, -1});
    Model model = Linear.train(problem, parameter);
    double[] w = model.getFeatureWeights();
    // liblinear scores its first label; make +1 the positive side
    double sign = model.getLabels()[0] == 1 ? 1.0 : -1.0;
    float[] weights = new float[dims];
    for (int c = 0; c < dims; c++) {
      weights[c] = (float) (sign * w[c]);
    }
    return new LinearSvm(weights, sign * w[dims], settings.bias());
  }

  /** Decision value of one row of a (dense) feature matrix. */
  double decision(FeatureMatrix matrix, int row) {
    float[] data = matrix.data();
    int offset = row * matrix.dims();
    double sum = 0;
    for (int c = 0; c < weights.length; c++) {
      sum += weights[c] * data[offset + c];
    }
    return sum + biasWeight * bias;
  }

  /** Decision values of the given rows. */
  double[] decisions(FeatureMatrix matrix, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = decision(matrix, rows[i]);
    }
    return out;
  }
}
