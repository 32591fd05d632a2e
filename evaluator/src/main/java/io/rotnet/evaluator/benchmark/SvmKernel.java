package io.rotnet.evaluator.benchmark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rotnet.model.GradMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What every SVM of one tap needs from its features: the rows divided by (L2 norm + 1e-5), as the
 * reference normalizes them, and their linear kernels with the bias feature, {@code K_ij = x_i.x_j +
 * bias^2}, between the training rows ({@link #train}) and from the test rows to the training rows
 * ({@link #test}). Every class, fold, cost and low-shot draw of the tap reads these two matrices
 * and never the features again, so a tap costs two matrix products on the engine (PyTorch's BLAS),
 * once per process: {@link #shared} hands the same kernel to the {@code svm} and {@code lowshot-svm}
 * benchmarks of one process. The kernels are float matrices in one array each, so the training
 * split may have at most 46,340 rows (VOC07 trainval has 5,011).
 *
 * <p>A tap with at most a third as many dimensions (bias feature included) as training rows, and
 * at most {@link SquaredHingeNewton#MAX_DIMS}, also keeps its normalized training rows ({@link
 * #primalRows}), so that {@link SquaredHingeNewton} can solve the large-cost problems of its folds
 * in the primal, a system of that many dimensions.
 */
public final class SvmKernel {
  /** Largest training split whose kernel fits one Java array. */
  public static final int MAX_TRAIN_ROWS = 46_340;
  private static final int BLOCK = 1024;
  private static final int SHARED_CAPACITY = 2;
  private static final Map<Key, CompletableFuture<SvmKernel>> SHARED = new LinkedHashMap<>(4, 0.75f, true);

  private final int trainRows;
  private final int testRows;
  private final float[] train;
  private final float[] test;
  /** Normalized training rows with the bias feature, or null for a tap too wide to solve in the primal. */
  private final float[] primal;
  private final int primalDims;

  private SvmKernel(int trainRows, int testRows, float[] train, float[] test, float[] primal, int primalDims) {
    this.trainRows = trainRows;
    this.testRows = testRows;
    this.train = train;
    this.test = test;
    this.primal = primal;
    this.primalDims = primalDims;
  }

  /** Normalizes the tap's rows and computes both kernels. */
  public static SvmKernel of(TapFeatures tap, double bias) {
    int n = tap.train().rows();
    if (n > MAX_TRAIN_ROWS) {
      throw new IllegalArgumentException("tap " + tap.tap() + " has " + n + " training rows; the SVM kernel holds at most "
          + MAX_TRAIN_ROWS + " (n x n floats in one array)");
    }
    checkFinite(tap.tap(), "train", tap.train());
    checkFinite(tap.tap(), "test", tap.test());
    FeatureMatrix trainRows = tap.train().l2Normalized(1e-5, true);
    FeatureMatrix testRows = tap.test().l2Normalized(1e-5, true);
    float biasSquared = (float) (bias * bias);
    GradMode.disableOnThisThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray trainT = manager.create(trainRows.rawData(), new Shape(n, trainRows.dims())).transpose();
      float[] train = products(manager, trainRows, trainT, n, biasSquared);
      float[] test = products(manager, testRows, trainT, n, biasSquared);
      int dims = trainRows.dims() + 1;
      float[] primal = 3L * dims <= n && dims <= SquaredHingeNewton.MAX_DIMS ? withBias(trainRows, (float) bias) : null;
      return new SvmKernel(n, testRows.rows(), train, test, primal, dims);
    }
  }

  /**
   * The kernel of this tap, computed once per process for the {@code svm} and {@code lowshot-svm}
   * benchmarks alike (the last two taps asked for stay held; a caller asking while another
   * computes the same kernel waits for it).
   */
  public static SvmKernel shared(TapFeatures tap, double bias) {
    Key key = Key.of(tap, bias);
    CompletableFuture<SvmKernel> future;
    boolean compute = false;
    synchronized (SHARED) {
      future = SHARED.get(key);
      if (future == null) {
        future = new CompletableFuture<>();
        SHARED.put(key, future);
        compute = true;
        while (SHARED.size() > SHARED_CAPACITY) {
          SHARED.remove(SHARED.keySet().iterator().next());
        }
      }
    }
    if (compute) {
      try {
        future.complete(of(tap, bias));
      } catch (RuntimeException | Error e) {
        synchronized (SHARED) {
          SHARED.remove(key, future);
        }
        future.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted while waiting for the SVM kernel");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** A NaN or infinite feature (a diverged checkpoint) would make every SVM of the tap meaningless. */
  private static void checkFinite(String tap, String split, FeatureMatrix matrix) {
    float[] data = matrix.rawData();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException("tap " + tap + ": " + split + " row " + i / matrix.dims() + " has the value "
            + data[i] + "; the SVM needs finite features (has the checkpoint diverged?)");
      }
    }
  }

  /** Forgets the shared kernels (for timings that must start from the features). */
  public static void clearShared() {
    synchronized (SHARED) {
      SHARED.clear();
    }
  }

  private static float[] withBias(FeatureMatrix rows, float bias) {
    int dims = rows.dims();
    float[] out = new float[rows.rows() * (dims + 1)];
    float[] data = rows.rawData();
    for (int r = 0; r < rows.rows(); r++) {
      System.arraycopy(data, r * dims, out, r * (dims + 1), dims);
      out[r * (dims + 1) + dims] = bias;
    }
    return out;
  }

  private static float[] products(NDManager manager, FeatureMatrix rows, NDArray trainT, int n, float biasSquared) {
    float[] out = new float[rows.rows() * n];
    float[] data = rows.rawData();
    int dims = rows.dims();
    for (int r0 = 0; r0 < rows.rows(); r0 += BLOCK) {
      int count = Math.min(BLOCK, rows.rows() - r0);
      try (NDManager block = manager.newSubManager()) {
        NDArray part = block.create(Arrays.copyOfRange(data, r0 * dims, (r0 + count) * dims), new Shape(count, dims));
        float[] values = part.matMul(trainT).toFloatArray();
        for (int i = 0; i < values.length; i++) {
          out[r0 * n + i] = values[i] + biasSquared;
        }
      }
    }
    return out;
  }

  public int trainRows() {
    return trainRows;
  }

  public int testRows() {
    return testRows;
  }

  /** The same kernels without the training rows, so that every problem is solved in the dual. */
  SvmKernel withoutPrimalRows() {
    return new SvmKernel(trainRows, testRows, train, test, null, primalDims);
  }

  /** Dimensions of {@link #primalRows}, bias feature included. */
  int primalDims() {
    return primalDims;
  }

  /**
   * The normalized training rows at {@code rows} with their bias feature (row-major), or null when
   * the tap keeps none (too wide for the primal: see the class comment).
   */
  float[] primalRows(int[] rows) {
    if (primal == null) {
      return null;
    }
    float[] out = new float[rows.length * primalDims];
    for (int a = 0; a < rows.length; a++) {
      System.arraycopy(primal, rows[a] * primalDims, out, a * primalDims, primalDims);
    }
    return out;
  }

  /** K(train i, train j). */
  float train(int i, int j) {
    return train[i * trainRows + j];
  }

  /**
   * The problem matrix of a training subset: Q_ab = y_a y_b K(rows[a], rows[b]), row-major.
   */
  float[] problem(int[] rows, boolean[] positive) {
    int m = rows.length;
    float[] q = new float[m * m];
    for (int a = 0; a < m; a++) {
      int offset = rows[a] * trainRows;
      boolean ya = positive[a];
      int out = a * m;
      for (int b = 0; b < m; b++) {
        float k = train[offset + rows[b]];
        q[out + b] = ya == positive[b] ? k : -k;
      }
    }
    return q;
  }

  /** Decision values on training rows {@code targets} of the SVM with these dual variables. */
  double[] trainDecisions(int[] rows, boolean[] positive, double[] alpha, int[] targets) {
    return decisions(train, rows, positive, alpha, targets);
  }

  /** Decision values on every test row. */
  double[] testDecisions(int[] rows, boolean[] positive, double[] alpha) {
    int[] all = new int[testRows];
    for (int i = 0; i < testRows; i++) {
      all[i] = i;
    }
    return decisions(test, rows, positive, alpha, all);
  }

  /** f(t) = sum_a alpha_a y_a K(t, rows[a]) over the support (alpha > 0). */
  private double[] decisions(float[] kernel, int[] rows, boolean[] positive, double[] alpha, int[] targets) {
    int support = 0;
    for (double a : alpha) {
      support += a > 0 ? 1 : 0;
    }
    int[] columns = new int[support];
    double[] weights = new double[support];
    int s = 0;
    for (int a = 0; a < alpha.length; a++) {
      if (alpha[a] > 0) {
        columns[s] = rows[a];
        weights[s] = positive[a] ? alpha[a] : -alpha[a];
        s++;
      }
    }
    double[] out = new double[targets.length];
    for (int t = 0; t < targets.length; t++) {
      int offset = targets[t] * trainRows;
      double sum = 0;
      for (int k = 0; k < support; k++) {
        sum += weights[k] * kernel[offset + columns[k]];
      }
      out[t] = sum;
    }
    return out;
  }

  /** Identifies a tap's features by content, so that two benchmarks loading the same cache entry share. */
  private record Key(String tap, int trainRows, int testRows, int dims, long trainHash, long testHash, double bias) {
    static Key of(TapFeatures tap, double bias) {
      return new Key(tap.tap(), tap.train().rows(), tap.test().rows(), tap.train().dims(),
          hash(tap.train().rawData()), hash(tap.test().rawData()), bias);
    }

    private static long hash(float[] values) {
      long h = 1125899906842597L;
      for (float v : values) {
        h = 31 * h + Float.floatToRawIntBits(v);
      }
      return h;
    }
  }
}
