package io.rotnet.evaluator.run;

import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.benchmark.SvmBenchmark;
import io.rotnet.model.Tap;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one benchmark run does, with the protocol's values as defaults; small presets shorten the
 * linear probes ({@code linearEpochs}) and the cost grid, never the algorithm.
 *
 * @param taps the taps to evaluate (default: the benchmark's protocol taps)
 * @param svmCosts costs cross-validated by the VOC07 SVM (default the reference's 19)
 * @param lowShotCosts costs tried by the low-shot SVM (default the reference's 19)
 * @param lowShotShots k values of the low-shot SVM
 * @param lowShotSamples independent draws per k
 * @param linearEpochs epochs of linear-mhead / linear-avgpool; 0 = the protocol's (90 / 100)
 * @param linearBatchSize mini-batch of the probes
 * @param knnKs neighbour counts
 * @param knnTemperature vote temperature
 * @param knnOnEngine search neighbours with the engine's matrix product (default) rather than
 *     the plain Java loops
 * @param seed seeds draws, shuffles and initialisations
 * @param threads worker threads of the benchmark's own loops
 * @param knnTrainTasks tasks the kNN train bank is split into when instances share the work
 *     ({@link TaskSplit}; default 1, one task)
 */
public record BenchmarkSettings(
    BenchmarkKind kind,
    Set<Tap> taps,
    double[] svmCosts,
    double[] lowShotCosts,
    int[] lowShotShots,
    int lowShotSamples,
    int linearEpochs,
    int linearBatchSize,
    int[] knnKs,
    double knnTemperature,
    boolean knnOnEngine,
    long seed,
    int threads,
    int knnTrainTasks) {

  public BenchmarkSettings {
    Objects.requireNonNull(kind, "kind");
    taps = taps == null || taps.isEmpty() ? kind.defaultTaps() : EnumSet.copyOf(taps);
    svmCosts = svmCosts.clone();
    lowShotCosts = lowShotCosts.clone();
    lowShotShots = lowShotShots.clone();
    knnKs = knnKs.clone();
    if (linearEpochs < 0 || linearBatchSize < 2 || lowShotSamples < 1 || threads < 1 || knnTrainTasks < 1) {
      throw new IllegalArgumentException(
          "epochs >= 0, batch >= 2, samples >= 1, threads >= 1 and kNN train tasks >= 1 are required");
    }
    if ((kind == BenchmarkKind.KNN || kind == BenchmarkKind.LINEAR_AVGPOOL || kind == BenchmarkKind.LINEAR_AVGPOOL_CACHED)
        && !taps.equals(EnumSet.of(Tap.AVGPOOL))) {
      throw new IllegalArgumentException(kind.label() + " reads the avgpool feature only");
    }
  }

  /** The protocol's settings for a benchmark. */
  public static BenchmarkSettings defaults(BenchmarkKind kind) {
    return new BenchmarkSettings(
        kind, kind.defaultTaps(), SvmBenchmark.REFERENCE_COSTS, SvmBenchmark.REFERENCE_COSTS,
        new int[] {1, 2, 4, 8, 16, 32, 64, 96}, 5, 0, 256, new int[] {10, 20, 100, 200}, 0.07, true, 0,
        Parallel.defaultThreads(), 1);
  }

  public BenchmarkSettings withTaps(Set<Tap> newTaps) {
    return new BenchmarkSettings(kind, newTaps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withLinearEpochs(int epochs) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        epochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withCosts(double[] costs) {
    return new BenchmarkSettings(kind, taps, costs, costs, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withLowShot(int[] shots, int samples) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, shots, samples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withKnnKs(int[] ks) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, ks, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withThreads(int newThreads) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, newThreads, knnTrainTasks);
  }

  public BenchmarkSettings withKnnOnEngine(boolean onEngine) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, onEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withSeed(long newSeed) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, newSeed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withLinearBatchSize(int batch) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, batch, knnKs, knnTemperature, knnOnEngine, seed, threads, knnTrainTasks);
  }

  public BenchmarkSettings withKnnTrainTasks(int tasks) {
    return new BenchmarkSettings(kind, taps, svmCosts, lowShotCosts, lowShotShots, lowShotSamples,
        linearEpochs, linearBatchSize, knnKs, knnTemperature, knnOnEngine, seed, threads, tasks);
  }

  /** Epochs the linear probe of this kind trains for. */
  public int effectiveLinearEpochs() {
    if (linearEpochs > 0) {
      return linearEpochs;
    }
    return kind == BenchmarkKind.LINEAR_AVGPOOL || kind == BenchmarkKind.LINEAR_AVGPOOL_CACHED ? 100 : 90;
  }

  @Override
  public String toString() {
    return kind.label() + " taps=" + taps + " epochs=" + effectiveLinearEpochs() + " costs="
        + Arrays.toString(svmCosts) + " ks=" + Arrays.toString(knnKs);
  }
}
