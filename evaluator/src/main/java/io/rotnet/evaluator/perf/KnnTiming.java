package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.benchmark.EngineNeighbourSearch;
import io.rotnet.evaluator.benchmark.KnnBenchmark;
import io.rotnet.evaluator.benchmark.KnnResult;
import io.rotnet.evaluator.benchmark.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the kNN benchmark at full scale (default 60,000 x 2,048 train features against 10,000
 * queries, k = 10/20/100/200) with the Java top-k search, and the same benchmark with the
 * engine's matrix product as the search, side by side on the same synthetic features.
 */
public final class KnnTiming {
  private KnnTiming() {}

  /** Seconds of each search and their accuracy (which must agree). */
  public record Result(int train, int queries, int dims, double javaSeconds, double torchSeconds,
      List<KnnResult> javaResults, List<KnnResult> torchResults) {

    public double ratio() {
      return torchSeconds / javaSeconds;
    }

    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "knn %d x %d train vs %d queries, k=10/20/100/200:", train, dims, queries));
      lines.add(String.format(Locale.ROOT, "  java blocked top-k  %8.1f s  %s", javaSeconds, javaResults));
      if (!Double.isNaN(torchSeconds)) {
        lines.add(String.format(Locale.ROOT, "  engine matmul+topK %8.1f s  %s", torchSeconds, torchResults));
      }
      return lines;
    }
  }

  public static Result run(int train, int queries, int dims, int classes, boolean withTorch, int threads) {
    SyntheticFeatures trainSet = SyntheticFeatures.generate(train, dims, classes, 1);
    SyntheticFeatures querySet = SyntheticFeatures.generate(queries, dims, classes, 2);
    int workers = threads > 0 ? threads : Parallel.defaultThreads();
    long t0 = System.nanoTime();
    List<KnnResult> java = KnnBenchmark.builder().optThreads(workers).build()
        .evaluate(trainSet.features(), trainSet.labels(), querySet.features(), querySet.labels(), classes);
    double javaSeconds = (System.nanoTime() - t0) / 1e9;
    double torchSeconds = Double.NaN;
    List<KnnResult> torch = List.of();
    if (withTorch) {
      long t1 = System.nanoTime();
      torch = KnnBenchmark.builder().optThreads(workers).optSearch(new EngineNeighbourSearch()).build()
          .evaluate(trainSet.features(), trainSet.labels(), querySet.features(), querySet.labels(), classes);
      torchSeconds = (System.nanoTime() - t1) / 1e9;
    }
    return new Result(train, queries, dims, javaSeconds, torchSeconds, java, torch);
  }
}
