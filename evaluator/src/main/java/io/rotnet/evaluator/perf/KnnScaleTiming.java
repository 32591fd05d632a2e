package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.benchmark.EngineNeighbourSearch;
import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.KnnBenchmark;
import io.rotnet.evaluator.benchmark.KnnResult;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.evaluator.features.ShardedFeatureFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * kNN at ImageNet's size (default 1,300,000 x 2,048 train features, 1,000 queries): the train
 * bank is written to a sharded feature file in a scratch directory (about 10 GB), then searched
 * shard by shard with the exact merge, as the service does; a sample of queries is checked
 * against a brute-force search in double precision over the same file. Reports the time of each
 * phase and the process's peak resident memory.
 */
public final class KnnScaleTiming {
  private static final int CHUNK_ROWS = 4096;

  private KnnScaleTiming() {}

  /** Times, accuracies, the brute-force check and the peak RSS. */
  public record Result(long train, int queries, int dims, int shards, double writeSeconds, double searchSeconds,
      double checkSeconds, int checkedQueries, int mismatches, List<KnnResult> results, long peakRssMiB) {
    public List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "knn-scale %d x %d train (%d shards) vs %d queries, k=10/20/100/200:", train, dims,
              shards, queries),
          String.format(Locale.ROOT, "  write features    %8.1f s", writeSeconds),
          String.format(Locale.ROOT, "  sharded search    %8.1f s  %s", searchSeconds, results),
          String.format(Locale.ROOT, "  brute-force check %8.1f s  %d queries, %d differing neighbour(s)", checkSeconds,
              checkedQueries, mismatches),
          String.format(Locale.ROOT, "  peak RSS          %8d MiB", peakRssMiB));
    }
  }

  /**
   * @param engine search each shard with the engine's matmul + topK (else the Java blocked search)
   * @param checked how many queries to check against brute force
   */
  public static Result run(Path scratch, long train, int queries, int dims, int classes, boolean engine, int checked,
      int threads) throws IOException {
    Path entry = scratch.resolve("knn-scale-train.feat");
    int workers = threads > 0 ? threads : Parallel.defaultThreads();
    float[][] centres = centres(dims, classes);
    int[] trainLabels = new int[Math.toIntExact(train)];
    long t0 = System.nanoTime();
    try (ShardedFeatureFile.Writer writer = ShardedFeatureFile.open(entry, train, dims)) {
      for (long first = 0; first < train; first += CHUNK_ROWS) {
        int n = (int) Math.min(CHUNK_ROWS, train - first);
        writer.append(rows(centres, first, n, dims, 1, trainLabels, workers), 0, n);
      }
      writer.commit();
    }
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    int[] queryLabels = new int[queries];
    FeatureMatrix queryMatrix = FeatureMatrix.wrap(queries, dims, rows(centres, 0, queries, dims, 2, queryLabels, workers));

    ShardedFeatureFile.Shards shards = ShardedFeatureFile.read(entry);
    KnnBenchmark.Builder builder = KnnBenchmark.builder().optThreads(workers);
    if (engine) {
      builder.optSearch(new EngineNeighbourSearch());
    }
    KnnBenchmark knn = builder.build();
    long t1 = System.nanoTime();
    SimilarityTopK.Neighbours neighbours = knn.neighbours(shards, queryMatrix);
    List<KnnResult> results = knn.score(neighbours, trainLabels, queryLabels, classes);
    double searchSeconds = (System.nanoTime() - t1) / 1e9;

    long t2 = System.nanoTime();
    int[] sample = new int[Math.min(checked, queries)];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = (int) ((long) i * queries / sample.length);
    }
    int mismatches = bruteForceMismatches(shards, queryMatrix, sample, neighbours, workers);
    double checkSeconds = (System.nanoTime() - t2) / 1e9;
    return new Result(train, queries, dims, shards.shardCount(), writeSeconds, searchSeconds, checkSeconds,
        sample.length, mismatches, results, peakRssMiB());
  }

  /**
   * Exact top-k of the sampled queries over every train row in double precision; a returned
   * neighbour counts as differing when it is not in the exact list and its similarity is not tied
   * (within float rounding, 1e-5) with the exact k-th.
   */
  static int bruteForceMismatches(ShardedFeatureFile.Shards shards, FeatureMatrix queries, int[] sample,
      SimilarityTopK.Neighbours found, int threads) throws IOException {
    int k = found.k();
    int dims = queries.dims();
    double[][] q = new double[sample.length][];
    for (int i = 0; i < sample.length; i++) {
      q[i] = normalized(queries.row(sample[i]));
    }
    // per sampled query: its exact best k as (similarity, index), kept sorted best first
    double[][] bestSim = new double[sample.length][k];
    long[][] bestIndex = new long[sample.length][k];
    for (double[] row : bestSim) {
      java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
    }
    for (int s = 0; s < shards.shardCount(); s++) {
      float[] shard = shards.shard(s).rawData();
      int rows = shards.shardRows(s);
      long start = shards.start(s);
      double[] inverseNorms = new double[rows];
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int d = 0; d < dims; d++) {
          double v = shard[r * dims + d];
          sum += v * v;
        }
        inverseNorms[r] = 1.0 / Math.max(Math.sqrt(sum), 1e-12);
      }
      Parallel.forEach(sample.length, threads, i -> {
        double[] query = q[i];
        for (int r = 0; r < rows; r++) {
          double dot = 0;
          int offset = r * dims;
          for (int d = 0; d < dims; d++) {
            dot += query[d] * shard[offset + d];
          }
          insert(bestSim[i], bestIndex[i], dot * inverseNorms[r], start + r);
        }
      });
    }
    int mismatches = 0;
    for (int i = 0; i < sample.length; i++) {
      java.util.Set<Long> exact = new java.util.HashSet<>();
      for (long index : bestIndex[i]) {
        exact.add(index);
      }
      double kth = bestSim[i][k - 1];
      for (int r = 0; r < k; r++) {
        long index = found.index(sample[i], r);
        if (!exact.contains(index) && Math.abs(found.similarity(sample[i], r) - kth) > 1e-5) {
          mismatches++;
        }
      }
    }
    return mismatches;
  }

  private static void insert(double[] sims, long[] indices, double sim, long index) {
    int k = sims.length;
    if (sim <= sims[k - 1]) {
      return;
    }
    int at = k - 1;
    while (at > 0 && sims[at - 1] < sim) {
      sims[at] = sims[at - 1];
      indices[at] = indices[at - 1];
      at--;
    }
    sims[at] = sim;
    indices[at] = index;
  }

  private static double[] normalized(float[] row) {
    double sum = 0;
    for (float v : row) {
      sum += (double) v * v;
    }
    double scale = 1.0 / Math.max(Math.sqrt(sum), 1e-12);
    double[] out = new double[row.length];
    for (int d = 0; d < row.length; d++) {
      out[d] = row[d] * scale;
    }
    return out;
  }

  /** Class centres as in {@link SyntheticFeatures}: sparse, non-negative. */
  private static float[][] centres(int dims, int classes) {
    SplittableRandom random = new SplittableRandom(31L * dims + classes);
    float[][] centres = new float[classes][dims];
    for (float[] centre : centres) {
      for (int d = 0; d < dims; d++) {
        centre[d] = random.nextDouble() < 0.3 ? (float) random.nextDouble() * 2f : 0f;
      }
    }
    return centres;
  }

  /**
   * Rows {@code first..first+n} of a synthetic set, each a deterministic function of its index;
   * their labels go to {@code labels[first..first+n]}.
   */
  private static float[] rows(float[][] centres, long first, int n, int dims, long seed, int[] labels,
      int threads) {
    float[] out = new float[n * dims];
    Parallel.forEach(n, threads, r -> {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + first + r);
      int c = random.nextInt(centres.length);
      labels[(int) (first + r)] = c;
      for (int d = 0; d < dims; d++) {
        out[r * dims + d] = Math.max(0f, centres[c][d] + (float) (random.nextGaussian() * 0.8));
      }
    });
    return out;
  }

  /** Peak resident set of this process (VmHWM), in MiB; -1 where /proc is not there. */
  public static long peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
