package io.rotnet.evaluator.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weighted k-nearest-neighbour classification on frozen features (the protocol of Wu et al.
 * 2018 that DINO, MMSelfSup and solo-learn implement).
 *
 * <p>Protocol: train and test features (global-average-pooled feature5, 2048-d, from the
 * resize-256 / centre-crop-224 view) are L2-normalized (divided by max(norm, 1e-12)); cosine
 * similarity is their dot product; for each test image the {@code k} most similar train images
 * vote for their class with weight exp(similarity / T), T = 0.07; classes are ranked by their
 * summed votes; top-1 and top-5 accuracy are reported for k = 10, 20, 100, 200. One neighbour
 * search at the largest k serves every k, since the k best are a prefix of the largest list.
 * Equal vote totals rank the lower class index first.
 */
public final class KnnBenchmark {
  private final int[] ks;
  private final double temperature;
  private final int threads;
  private final NeighbourSearch search;

  private KnnBenchmark(Builder builder) {
    this.ks = builder.ks.clone();
    this.temperature = builder.temperature;
    this.threads = builder.threads;
    this.search = builder.search;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Top-1/top-5 accuracy (percent) for each k. */
  public List<KnnResult> evaluate(
      FeatureMatrix train, int[] trainLabels, FeatureMatrix test, int[] testLabels, int classes) {
    try {
      return evaluate(FeatureShards.of(train), trainLabels, test, testLabels, classes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory matrix does not read anything
    }
  }

  /**
   * The same over a train bank in shards (ImageNet's 1.28 M x 2,048 does not fit one array): each
   * shard is read, normalized and searched in turn, and the per-shard top-k lists are merged
   * exactly ({@link SimilarityTopK#merge}), so the neighbours equal one search over all rows.
   */
  public List<KnnResult> evaluate(
      FeatureShards train, int[] trainLabels, FeatureMatrix test, int[] testLabels, int classes) throws IOException {
    if (train.rows() != trainLabels.length || test.rows() != testLabels.length) {
      throw new IllegalArgumentException("features and labels differ in length");
    }
    for (int label : trainLabels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("train label " + label + " outside 0.." + (classes - 1));
      }
    }
    return score(neighbours(train, test), trainLabels, testLabels, classes);
  }

  /** The merged top-max(k) neighbours of every test row in a sharded train bank, best first. */
  public SimilarityTopK.Neighbours neighbours(FeatureShards train, FeatureMatrix test) throws IOException {
    if (train.rows() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("neighbour indices are ints; " + train.rows() + " train rows are too many");
    }
    FeatureMatrix testNorm = test.l2Normalized(1e-12, false);
    int maxK = Arrays.stream(ks).max().orElseThrow();
    SimilarityTopK.Neighbours merged = null;
    for (int s = 0; s < train.shardCount(); s++) {
      SimilarityTopK.Neighbours part = shardNeighbours(train, s, testNorm, maxK);
      merged = merged == null ? part : SimilarityTopK.merge(merged, part, maxK);
    }
    return merged != null ? merged : new SimilarityTopK.Neighbours(test.rows(), 0, new int[0], new float[0]);
  }

  /** One shard's top-k with global train indices: a unit of work any instance can run. */
  public SimilarityTopK.Neighbours shardNeighbours(FeatureShards train, int shard, FeatureMatrix testNorm, int k)
      throws IOException {
    FeatureMatrix shardNorm = train.shard(shard).l2Normalized(1e-12, false);
    return search.search(shardNorm, testNorm, k, threads).offset(Math.toIntExact(train.start(shard)));
  }

  /** Votes of the neighbours into top-1/top-5 accuracy for each k. */
  public List<KnnResult> score(SimilarityTopK.Neighbours neighbours, int[] trainLabels, int[] testLabels, int classes) {
    List<KnnResult> results = new ArrayList<>();
    double[] votes = new double[classes];
    for (int k : ks) {
      int used = Math.min(k, neighbours.k());
      int top1 = 0;
      int top5 = 0;
      for (int q = 0; q < testLabels.length; q++) {
        Arrays.fill(votes, 0);
        for (int r = 0; r < used; r++) {
          votes[trainLabels[neighbours.index(q, r)]] += Math.exp(neighbours.similarity(q, r) / temperature);
        }
        int rank = rankOf(votes, testLabels[q]);
        top1 += rank < 1 ? 1 : 0;
        top5 += rank < Math.min(5, k) ? 1 : 0;
      }
      int n = Math.max(1, testLabels.length);
      results.add(new KnnResult(k, 100.0 * top1 / n, 100.0 * top5 / n));
    }
    return results;
  }

  private static int rankOf(double[] votes, int label) {
    int rank = 0;
    for (int c = 0; c < votes.length; c++) {
      if (votes[c] > votes[label] || (votes[c] == votes[label] && c < label)) {
        rank++;
      }
    }
    return rank;
  }

  /** Settings; every option has the protocol's default. */
  public static final class Builder {
    private int[] ks = {10, 20, 100, 200};
    private double temperature = 0.07;
    private int threads = Parallel.defaultThreads();
    private NeighbourSearch search = SimilarityTopK::search;

    private Builder() {}

    /** The top-k search (default: {@link SimilarityTopK}, blocked float loops on all cores). */
    public Builder optSearch(NeighbourSearch search) {
      this.search = java.util.Objects.requireNonNull(search, "search");
      return this;
    }

    public Builder optKs(int... ks) {
      this.ks = ks.clone();
      return this;
    }

    public Builder optTemperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    public KnnBenchmark build() {
      if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
        throw new IllegalArgumentException("ks must be a non-empty list of k >= 1");
      }
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be positive, got " + temperature);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      return new KnnBenchmark(this);
    }
  }
}
