package io.rotnet.evaluator.benchmark;

import java.io.IOException;

/**
 * A feature matrix too large for one Java array, as consecutive row blocks (shards) read one at
 * a time: row {@code r} of shard {@code s} is row {@code start(s) + r} of the whole. Row counts
 * are 64-bit; each shard fits one {@link FeatureMatrix}.
 */
public interface FeatureShards {
  long rows();

  int dims();

  int shardCount();

  /** Global index of the shard's first row. */
  long start(int shard);

  int shardRows(int shard);

  /** The shard's rows, read (and checked) now. */
  FeatureMatrix shard(int shard) throws IOException;

  /** One in-memory matrix as a single shard. */
  static FeatureShards of(FeatureMatrix matrix) {
    return new FeatureShards() {
      @Override
      public long rows() {
        return matrix.rows();
      }

      @Override
      public int dims() {
        return matrix.dims();
      }

      @Override
      public int shardCount() {
        return 1;
      }

      @Override
      public long start(int shard) {
        return 0;
      }

      @Override
      public int shardRows(int shard) {
        return matrix.rows();
      }

      @Override
      public FeatureMatrix shard(int shard) {
        return matrix;
      }
    };
  }
}
