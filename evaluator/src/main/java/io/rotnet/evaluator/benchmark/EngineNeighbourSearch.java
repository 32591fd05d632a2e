package io.rotnet.evaluator.benchmark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rotnet.model.GradMode;

/**
 * The top-k search done by the deep learning engine: per block of queries a matrix product with
 * the transposed train matrix and {@code topK}, in PyTorch's BLAS. On the 2-core build machine it
 * is several times faster than {@link SimilarityTopK}'s scalar Java loops (see {@code rotnet bench
 * evaluator}), so the kNN benchmark service uses it; both return the same neighbours up to
 * floating-point ties. Memory: the train matrix (one shard of a sharded bank, see {@link
 * KnnBenchmark#neighbours}) once on the engine's default device, a GPU when there is one, where
 * it stays while every query block is searched against it; plus one block of similarities
 * (block x train floats). Nothing here names a device, so the same code runs on CPU and GPU.
 */
public final class EngineNeighbourSearch implements NeighbourSearch {
  private final int queryBlock;

  public EngineNeighbourSearch(int queryBlock) {
    if (queryBlock < 1) {
      throw new IllegalArgumentException("query block must be >= 1, got " + queryBlock);
    }
    this.queryBlock = queryBlock;
  }

  /** Blocks of 1,024 queries (240 MB of similarities against 60,000 train rows). */
  public EngineNeighbourSearch() {
    this(1024);
  }

  @Override
  public SimilarityTopK.Neighbours search(FeatureMatrix train, FeatureMatrix queries, int k, int threads) {
    int keep = Math.min(k, train.rows());
    int[] indices = new int[queries.rows() * keep];
    float[] similarities = new float[queries.rows() * keep];
    GradMode.disableOnThisThread();
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
