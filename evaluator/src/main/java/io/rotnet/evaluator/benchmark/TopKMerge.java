package io.rotnet.evaluator.benchmark;

/**
 * Merges top-k neighbour lists of the same queries over disjoint parts of a train bank, in blocks
 * of queries and in any order, into the lists one search over the whole bank gives: neighbours
 * are ranked by similarity, then by lower train index, a total order, so the merge is exact.
 * Holds queries x k entries, whatever the number of parts.
 */
public final class TopKMerge {
  private final int queries;
  private final int k;
  private final int[] indices;
  private final float[] similarities;
  private final int[] filled;
  private final int[] mergedIndices;
  private final float[] mergedSimilarities;

  public TopKMerge(int queries, int k) {
    if (queries < 0 || k < 1) {
      throw new IllegalArgumentException("queries >= 0 and k >= 1 are required, got " + queries + " and " + k);
    }
    this.queries = queries;
    this.k = k;
    this.indices = new int[Math.multiplyExact(queries, k)];
    this.similarities = new float[indices.length];
    this.filled = new int[queries];
    this.mergedIndices = new int[k];
    this.mergedSimilarities = new float[k];
  }

  public int queries() {
    return queries;
  }

  /** Adds the lists of queries {@code first .. first + block.queries() - 1} over one part of the bank. */
  public void add(int first, SimilarityTopK.Neighbours block) {
    if (first < 0 || first + block.queries() > queries) {
      throw new IllegalArgumentException("queries " + first + ".." + (first + block.queries() - 1)
          + " outside 0.." + (queries - 1));
    }
    for (int q = 0; q < block.queries(); q++) {
      mergeInto(first + q, block, q);
    }
  }

  private void mergeInto(int query, SimilarityTopK.Neighbours block, int row) {
    int base = query * k;
    int have = filled[query];
    int keep = Math.min(k, have + block.k());
    int i = 0;
    int j = 0;
    for (int r = 0; r < keep; r++) {
      boolean takeOld = j >= block.k() || (i < have && SimilarityTopK.MinHeap.less(
          block.similarity(row, j), block.index(row, j), similarities[base + i], indices[base + i]));
      if (takeOld) {
        mergedIndices[r] = indices[base + i];
        mergedSimilarities[r] = similarities[base + i++];
      } else {
        mergedIndices[r] = block.index(row, j);
        mergedSimilarities[r] = block.similarity(row, j++);
      }
    }
    System.arraycopy(mergedIndices, 0, indices, base, keep);
    System.arraycopy(mergedSimilarities, 0, similarities, base, keep);
    filled[query] = keep;
  }

  /**
   * The merged lists; every query must hold as many neighbours (k, or all train rows when the
   * bank is smaller), else a part of some query is missing.
   */
  public SimilarityTopK.Neighbours result() {
    int have = queries == 0 ? 0 : filled[0];
    for (int q = 0; q < queries; q++) {
      if (filled[q] != have) {
        throw new IllegalStateException("query " + q + " has " + filled[q] + " neighbours, query 0 has " + have
            + ": a part is missing");
      }
    }
    if (have == k) {
      return new SimilarityTopK.Neighbours(queries, k, indices.clone(), similarities.clone());
    }
    int[] outIndices = new int[queries * have];
    float[] outSimilarities = new float[queries * have];
    for (int q = 0; q < queries; q++) {
      System.arraycopy(indices, q * k, outIndices, q * have, have);
      System.arraycopy(similarities, q * k, outSimilarities, q * have, have);
    }
    return new SimilarityTopK.Neighbours(queries, have, outIndices, outSimilarities);
  }
}
