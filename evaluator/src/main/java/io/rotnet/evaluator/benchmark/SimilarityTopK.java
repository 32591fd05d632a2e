package io.rotnet.evaluator.benchmark;

/**
 * For every query row, the {@code k} train rows with the largest dot product, found without
 * materializing the full query x train similarity matrix.
 *
 * <p>The work is split into query blocks that threads take in turn; within a block, train rows
 * are visited in blocks that stay in cache while a 4 x 4 register tile of dot products is
 * accumulated (each loaded value feeds four multiply-adds), and each tile is offered to per-query
 * bounded min-heaps, which reject most candidates with one comparison. On 2 cores this runs at
 * roughly the scalar floating-point peak; a 60,000 x 2,048 train set against 10,000 queries is
 * about 2.5 TFLOP.
 */
public final class SimilarityTopK {
  private static final int QUERY_BLOCK = 64;
  private static final int TRAIN_BLOCK = 128;

  private SimilarityTopK() {}

  /**
   * Top-k neighbours of each query by dot product.
   *
   * @return for each query, the neighbour indices and similarities, best first
   */
  public static Neighbours search(FeatureMatrix train, FeatureMatrix queries, int k, int threads) {
    if (train.dims() != queries.dims()) {
      throw new IllegalArgumentException(
          "train has " + train.dims() + " dims, queries " + queries.dims());
    }
    int keep = Math.min(k, train.rows());
    int[] indices = new int[queries.rows() * keep];
    float[] similarities = new float[queries.rows() * keep];
    int blocks = (queries.rows() + QUERY_BLOCK - 1) / QUERY_BLOCK;
    Parallel.forEach(blocks, threads, block -> {
      int q0 = block * QUERY_BLOCK;
      int q1 = Math.min(queries.rows(), q0 + QUERY_BLOCK);
      searchBlock(train, queries, q0, q1, keep, indices, similarities);
    });
    return new Neighbours(queries.rows(), keep, indices, similarities);
  }

  private static void searchBlock(
      FeatureMatrix train, FeatureMatrix queries, int q0, int q1, int keep, int[] outIndices,
      float[] outSimilarities) {
    int count = q1 - q0;
    MinHeap[] heaps = new MinHeap[count];
    for (int i = 0; i < count; i++) {
      heaps[i] = new MinHeap(keep);
    }
    float[] tile = new float[16];
    float[] q = queries.data();
    float[] t = train.data();
    int dims = train.dims();
    for (int t0 = 0; t0 < train.rows(); t0 += TRAIN_BLOCK) {
      int t1 = Math.min(train.rows(), t0 + TRAIN_BLOCK);
      for (int qi = q0; qi < q1; qi += 4) {
        int qn = Math.min(4, q1 - qi);
        for (int ti = t0; ti < t1; ti += 4) {
          int tn = Math.min(4, t1 - ti);
          if (qn == 4 && tn == 4) {
            tile4x4(q, qi * dims, t, ti * dims, dims, tile);
          } else {
            tileEdge(q, qi, qn, t, ti, tn, dims, tile);
          }
          for (int a = 0; a < qn; a++) {
            MinHeap heap = heaps[qi - q0 + a];
            for (int b = 0; b < tn; b++) {
              heap.offer(tile[a * 4 + b], ti + b);
            }
          }
        }
      }
    }
    for (int i = 0; i < count; i++) {
      heaps[i].drainDescending(outIndices, outSimilarities, (q0 + i) * keep);
    }
  }

  /**
   * Dot products of 4 query rows with 4 train rows; 16 accumulators stay in registers and each
   * step is one fused multiply-add (Math.fma is a single instruction where the CPU has FMA).
   */
  private static void tile4x4(float[] q, int qa, float[] t, int ta, int dims, float[] out) {
    int qb = qa + dims;
    int qc = qb + dims;
    int qd = qc + dims;
    int tb = ta + dims;
    int tc = tb + dims;
    int td = tc + dims;
    float s00 = 0, s01 = 0, s02 = 0, s03 = 0;
    float s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    float s20 = 0, s21 = 0, s22 = 0, s23 = 0;
    float s30 = 0, s31 = 0, s32 = 0, s33 = 0;
    for (int d = 0; d < dims; d++) {
      float x0 = q[qa + d];
      float x1 = q[qb + d];
      float x2 = q[qc + d];
      float x3 = q[qd + d];
      float y0 = t[ta + d];
      float y1 = t[tb + d];
      float y2 = t[tc + d];
      float y3 = t[td + d];
      s00 = Math.fma(x0, y0, s00);
      s01 = Math.fma(x0, y1, s01);
      s02 = Math.fma(x0, y2, s02);
      s03 = Math.fma(x0, y3, s03);
      s10 = Math.fma(x1, y0, s10);
      s11 = Math.fma(x1, y1, s11);
      s12 = Math.fma(x1, y2, s12);
      s13 = Math.fma(x1, y3, s13);
      s20 = Math.fma(x2, y0, s20);
      s21 = Math.fma(x2, y1, s21);
      s22 = Math.fma(x2, y2, s22);
      s23 = Math.fma(x2, y3, s23);
      s30 = Math.fma(x3, y0, s30);
      s31 = Math.fma(x3, y1, s31);
      s32 = Math.fma(x3, y2, s32);
      s33 = Math.fma(x3, y3, s33);
    }
    out[0] = s00;
    out[1] = s01;
    out[2] = s02;
    out[3] = s03;
    out[4] = s10;
    out[5] = s11;
    out[6] = s12;
    out[7] = s13;
    out[8] = s20;
    out[9] = s21;
    out[10] = s22;
    out[11] = s23;
    out[12] = s30;
    out[13] = s31;
    out[14] = s32;
    out[15] = s33;
  }

  private static void tileEdge(
      float[] q, int qi, int qn, float[] t, int ti, int tn, int dims, float[] out) {
    for (int a = 0; a < qn; a++) {
      int qa = (qi + a) * dims;
      for (int b = 0; b < tn; b++) {
        int tb = (ti + b) * dims;
        float sum = 0;
        for (int d = 0; d < dims; d++) {
          sum = Math.fma(q[qa + d], t[tb + d], sum);
        }
        out[a * 4 + b] = sum;
      }
    }
  }

  /** Bounded min-heap of (similarity, index): keeps the largest {@code capacity} offered. */
  static final class MinHeap {
    private final float[] values;
    private final int[] indices;
    private int size;

    MinHeap(int capacity) {
      values = new float[capacity];
      indices = new int[capacity];
    }

    void offer(float value, int index) {
      if (size < values.length) {
        int i = size++;
        // sift up
        while (i > 0) {
          int parent = (i - 1) >>> 1;
          if (!less(value, index, values[parent], indices[parent])) {
            break;
          }
          values[i] = values[parent];
          indices[i] = indices[parent];
          i = parent;
        }
        values[i] = value;
        indices[i] = index;
      } else if (less(values[0], indices[0], value, index)) {
        siftDown(value, index);
      }
    }

    /**
     * Heap order: a lower similarity is "less"; on equal similarity the higher index is less, so
     * that among ties the lower train index survives, whatever the visiting order.
     */
    static boolean less(float v1, int i1, float v2, int i2) {
      return v1 < v2 || (v1 == v2 && i1 > i2);
    }

    private void siftDown(float value, int index) {
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < size && less(values[right], indices[right], values[child], indices[child])) {
          child = right;
        }
        if (!less(values[child], indices[child], value, index)) {
          break;
        }
        values[i] = values[child];
        indices[i] = indices[child];
        i = child;
      }
      values[i] = value;
      indices[i] = index;
    }

    /** Writes the contents best first and empties the heap. */
    void drainDescending(int[] outIndices, float[] outValues, int offset) {
      for (int n = size; n > 0; n--) {
        float value = values[0];
        int index = indices[0];
        size--;
        if (size > 0) {
          siftDown(values[size], indices[size]);
        }
        outValues[offset + n - 1] = value;
        outIndices[offset + n - 1] = index;
      }
    }
  }

  /**
   * The best {@code k} of two top-k lists of the same queries over disjoint train rows (shards):
   * a merge of two lists sorted best first, with equal similarities ranking the lower index
   * first, the order of one search over both. Exact: a row in the top k of the union is in the
   * top k of its own part.
   */
  public static Neighbours merge(Neighbours a, Neighbours b, int k) {
    if (a.queries() != b.queries()) {
      throw new IllegalArgumentException("merging lists of " + a.queries() + " and " + b.queries() + " queries");
    }
    int keep = Math.min(k, a.k() + b.k());
    int[] indices = new int[a.queries() * keep];
    float[] similarities = new float[a.queries() * keep];
    for (int q = 0; q < a.queries(); q++) {
      int i = 0;
      int j = 0;
      for (int r = 0; r < keep; r++) {
        boolean takeA = j >= b.k() || (i < a.k() && MinHeap.less(b.similarity(q, j), b.index(q, j), a.similarity(q, i), a.index(q, i)));
        int out = q * keep + r;
        if (takeA) {
          indices[out] = a.index(q, i);
          similarities[out] = a.similarity(q, i++);
        } else {
          indices[out] = b.index(q, j);
          similarities[out] = b.similarity(q, j++);
        }
      }
    }
    return new Neighbours(a.queries(), keep, indices, similarities);
  }

  /** Row-major top-k lists: query i's j-th best neighbour is at {@code i * k + j}. */
  public record Neighbours(int queries, int k, int[] indices, float[] similarities) {
    /** The same lists with {@code first} added to every index (a shard's rows to global rows). */
    public Neighbours offset(int first) {
      if (first == 0) {
        return this;
      }
      int[] shifted = indices.clone();
      for (int i = 0; i < shifted.length; i++) {
        shifted[i] += first;
      }
      return new Neighbours(queries, k, shifted, similarities);
    }

    /** The lists of queries {@code first .. first + count - 1}. */
    public Neighbours rows(int first, int count) {
      if (first < 0 || count < 0 || first + count > queries) {
        throw new IllegalArgumentException("rows " + first + "+" + count + " of " + queries);
      }
      return new Neighbours(count, k, java.util.Arrays.copyOfRange(indices, first * k, (first + count) * k),
          java.util.Arrays.copyOfRange(similarities, first * k, (first + count) * k));
    }

    public int index(int query, int rank) {
      return indices[query * k + rank];
    }

    public float similarity(int query, int rank) {
      return similarities[query * k + rank];
    }
  }
}
