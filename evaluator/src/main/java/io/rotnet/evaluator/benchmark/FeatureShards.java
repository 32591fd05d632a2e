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

  /**
   * Rows {@code [first, end)} of this bank, with indices from 0: the shards that overlap them,
   * clipped (a clipped shard is copied when read).
   */
  default FeatureShards range(long first, long end) {
    if (first < 0 || end < first || end > rows()) {
      throw new IllegalArgumentException("rows " + first + ".." + end + " of " + rows());
    }
    FeatureShards whole = this;
    java.util.List<Integer> overlapping = new java.util.ArrayList<>();
    for (int s = 0; s < shardCount(); s++) {
      if (first < end && start(s) < end && start(s) + shardRows(s) > first) {
        overlapping.add(s);
      }
    }
    return new FeatureShards() {
      @Override
      public long rows() {
        return end - first;
      }

      @Override
      public int dims() {
        return whole.dims();
      }

      @Override
      public int shardCount() {
        return overlapping.size();
      }

      @Override
      public long start(int shard) {
        return Math.max(first, whole.start(overlapping.get(shard))) - first;
      }

      @Override
      public int shardRows(int shard) {
        int s = overlapping.get(shard);
        return (int) (Math.min(end, whole.start(s) + whole.shardRows(s)) - Math.max(first, whole.start(s)));
      }

      @Override
      public FeatureMatrix shard(int shard) throws IOException {
        int s = overlapping.get(shard);
        FeatureMatrix rows = whole.shard(s);
        int from = (int) (Math.max(first, whole.start(s)) - whole.start(s));
        int count = shardRows(shard);
        return from == 0 && count == rows.rows() ? rows : rows.slice(from, count);
      }
    };
  }

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
