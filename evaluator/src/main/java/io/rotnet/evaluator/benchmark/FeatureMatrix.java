package io.rotnet.evaluator.benchmark;

import java.util.Arrays;
import java.util.Objects;

/**
 * Dense features of a set of images: one row per image, stored row-major in one {@code float[]}
 * so that the similarity and SVM loops walk memory in order. Immutable by convention: methods
 * that change values return a new matrix.
 */
public final class FeatureMatrix {
  private final int rows;
  private final int dims;
  private final float[] data;

  private FeatureMatrix(int rows, int dims, float[] data) {
    if (rows < 0 || dims <= 0) {
      throw new IllegalArgumentException("a feature matrix needs rows >= 0 and dims > 0, got " + rows + "x" + dims);
    }
    if ((long) rows * dims != data.length) {
      throw new IllegalArgumentException(
          "data holds " + data.length + " values, expected " + rows + "x" + dims);
    }
    this.rows = rows;
    this.dims = dims;
    this.data = data;
  }

  /** Wraps row-major data without copying; the caller must not change it afterwards. */
  public static FeatureMatrix wrap(int rows, int dims, float[] data) {
    return new FeatureMatrix(rows, dims, Objects.requireNonNull(data, "data"));
  }

  /** Copies rows of equal length into a matrix. */
  public static FeatureMatrix of(float[][] rowsData) {
    if (rowsData.length == 0) {
      throw new IllegalArgumentException("of(float[][]) needs at least one row to know the width");
    }
    int dims = rowsData[0].length;
    float[] data = new float[rowsData.length * dims];
    for (int r = 0; r < rowsData.length; r++) {
      if (rowsData[r].length != dims) {
        throw new IllegalArgumentException("row " + r + " has " + rowsData[r].length + " values, expected " + dims);
      }
      System.arraycopy(rowsData[r], 0, data, r * dims, dims);
    }
    return new FeatureMatrix(rowsData.length, dims, data);
  }

  public int rows() {
    return rows;
  }

  public int dims() {
    return dims;
  }

  public float get(int row, int column) {
    return data[row * dims + column];
  }

  /** A copy of one row. */
  public float[] row(int row) {
    return Arrays.copyOfRange(data, row * dims, (row + 1) * dims);
  }

  /** The backing array (row-major), shared: read it, never write it. */
  float[] data() {
    return data;
  }

  /** The backing array for serialization; shared, do not modify. */
  public float[] rawData() {
    return data;
  }

  /**
   * Each row divided by (its L2 norm + eps). The VOC07 SVM reference adds eps = 1e-5 to the norm;
   * the kNN reference divides by max(norm, 1e-12).
   */
  public FeatureMatrix l2Normalized(double eps, boolean addEps) {
    float[] out = new float[data.length];
    for (int r = 0; r < rows; r++) {
      int offset = r * dims;
      double sum = 0;
      for (int c = 0; c < dims; c++) {
        double v = data[offset + c];
        sum += v * v;
      }
      double norm = Math.sqrt(sum);
      double scale = 1.0 / (addEps ? norm + eps : Math.max(norm, eps));
      for (int c = 0; c < dims; c++) {
        out[offset + c] = (float) (data[offset + c] * scale);
      }
    }
    return new FeatureMatrix(rows, dims, out);
  }

  /** The rows at the given indices, in that order. */
  public FeatureMatrix selectRows(int[] indices) {
    float[] out = new float[indices.length * dims];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(data, indices[i] * dims, out, i * dims, dims);
    }
    return new FeatureMatrix(indices.length, dims, out);
  }

  /** Rows {@code from .. from + count - 1}, copied. */
  public FeatureMatrix slice(int from, int count) {
    if (from < 0 || count < 0 || from + count > rows) {
      throw new IllegalArgumentException("rows " + from + "+" + count + " of " + rows);
    }
    return new FeatureMatrix(count, dims, Arrays.copyOfRange(data, from * dims, (from + count) * dims));
  }

  /** The first {@code count} rows. */
  public FeatureMatrix head(int count) {
    if (count > rows) {
      throw new IllegalArgumentException("asked for " + count + " rows of " + rows);
    }
    return new FeatureMatrix(count, dims, Arrays.copyOf(data, count * dims));
  }

  @Override
  public String toString() {
    return "FeatureMatrix[" + rows + "x" + dims + "]";
  }
}
