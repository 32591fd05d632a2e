package io.rotnet.evaluator.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.NeighbourSearch;
import io.rotnet.evaluator.benchmark.SimilarityTopK;

/**
 * The same top-k search done by the deep learning engine (a matrix product and {@code topK} per
 * block of queries, in PyTorch's BLAS), the reference the Java search is compared with.
 */
public final class TorchNeighbourSearch implements NeighbourSearch {
  private final int queryBlock;

  public TorchNeighbourSearch(int queryBlock) {
    this.queryBlock = queryBlock;
  }

  @Override
  public SimilarityTopK.Neighbours search(FeatureMatrix train, FeatureMatrix queries, int k, int threads) {
    int keep = Math.min(k, train.rows());
    int[] indices = new int[queries.rows() * keep];
    float[] similarities = new float[queries.rows() * keep];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray trainT = manager.create(train.rawData(), new Shape(train.rows(), train.dims())).transpose();
      for (int q0 = 0; q0 < queries.rows(); q0 += queryBlock) {
        int n = Math.min(queryBlock, queries.rows() - q0);
        try (NDManager block = manager.newSubManager()) {
          float[] slice = java.util.Arrays.copyOfRange(queries.rawData(), q0 * queries.dims(), (q0 + n) * queries.dims());
          NDArray q = block.create(slice, new Shape(n, queries.dims()));
          NDList top = q.matMul(trainT).topK(keep, 1, true, true);
          float[] values = top.get(0).toFloatArray();
          long[] positions = top.get(1).toLongArray();
          System.arraycopy(values, 0, similarities, q0 * keep, n * keep);
          for (int i = 0; i < n * keep; i++) {
            indices[q0 * keep + i] = (int) positions[i];
          }
        }
      }
    }
    return new SimilarityTopK.Neighbours(queries.rows(), keep, indices, similarities);
  }
}
