package io.rotnet.evaluator.benchmark;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;

/**
 * The rows of a feature matrix in liblinear's sparse form with the bias feature appended. Built
 * once per tap and shared, read-only, by every class, cost and fold (liblinear's dual solvers do
 * not modify the rows), so a 5,011 x 9,216 tap costs one copy. Zeros, frequent after ReLU and
 * pooling, are left out.
 */
final class SvmRows {
  private final Feature[][] rows;
  private final int featureCount;

  private SvmRows(Feature[][] rows, int featureCount) {
    this.rows = rows;
    this.featureCount = featureCount;
  }

  static SvmRows of(FeatureMatrix matrix, double bias) {
    int dims = matrix.dims();
    float[] data = matrix.data();
    Feature[][] rows = new Feature[matrix.rows()][];
    for (int r = 0; r < rows.length; r++) {
      int offset = r * dims;
      int nonZero = 0;
      for (int c = 0; c < dims; c++) {
        nonZero += data[offset + c] != 0f ? 1 : 0;
      }
      Feature[] row = new Feature[nonZero + 1];
      int k = 0;
      for (int c = 0; c < dims; c++) {
        float v = data[offset + c];
        if (v != 0f) {
          row[k++] = new FeatureNode(c + 1, v); // liblinear indices start at 1
        }
      }
      row[k] = new FeatureNode(dims + 1, bias);
      rows[r] = row;
    }
    return new SvmRows(rows, dims + 1);
  }

  int size() {
    return rows.length;
  }

  /** Number of liblinear features, the bias feature included. */
  int featureCount() {
    return featureCount;
  }

  Feature[] row(int index) {
    return rows[index];
  }
}
