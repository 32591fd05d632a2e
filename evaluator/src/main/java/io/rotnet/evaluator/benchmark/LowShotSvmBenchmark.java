package io.rotnet.evaluator.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Low-shot VOC07 SVM benchmark (FAIR self-supervision benchmark protocol).
 *
 * <p>Protocol, per feature tap, features L2-normalized as in {@link SvmBenchmark}:
 *
 * <ol>
 *   <li>For each k in {1, 2, 4, 8, 16, 32, 64, 96} and each of 5 independent samples, every class
 *       draws k of its positive training images and 19k of its negative ones (difficult images
 *       are never drawn; when a class has fewer, all of them are used). Samples are seeded, so
 *       the same seed gives the same draws.
 *   <li>For each cost in the list, one SVM per class ({@link SvmSettings#voc07()}) is trained on
 *       its draw, with no cross-validation, and scored on the full test set (difficult test
 *       images left out) with VOC AP; the classes' mean is that sample's mAP at that cost.
 *   <li>Per k, the cost with the best mean mAP over the samples is chosen, and the mean, min, max
 *       and (population) standard deviation of the samples' mAP at that cost are reported.
 * </ol>
 */
public final class LowShotSvmBenchmark {
  private final int[] shots;
  private final int samples;
  private final int negativesPerPositive;
  private final double[] costs;
  private final SvmSettings settings;
  private final VocAveragePrecision.Method apMethod;
  private final long seed;
  private final int threads;

  private LowShotSvmBenchmark(Builder builder) {
    this.shots = builder.shots.clone();
    this.samples = builder.samples;
    this.negativesPerPositive = builder.negativesPerPositive;
    this.costs = builder.costs.clone();
    this.settings = builder.settings;
    this.apMethod = builder.apMethod;
    this.seed = builder.seed;
    this.threads = builder.threads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Results per k for one tap. */
  public LowShotResult evaluateTap(TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test) {
    SvmBenchmark.checkAligned(tap, train, test);
    FeatureMatrix trainFeatures = tap.train().l2Normalized(1e-5, true);
    FeatureMatrix testFeatures = tap.test().l2Normalized(1e-5, true);
    SvmRows rows = SvmRows.of(trainFeatures, settings.bias());
    int classes = train.classCount();
    // ap[k][sample][cost][class]
    double[][][][] ap = new double[shots.length][samples][costs.length][classes];
    int tasks = shots.length * samples * classes;
    Parallel.forEach(tasks, threads, task -> {
      int c = task % classes;
      int s = (task / classes) % samples;
      int k = task / (classes * samples);
      Draw draw = draw(train, c, shots[k], s);
      for (int j = 0; j < costs.length; j++) {
        LinearSvm svm = LinearSvm.train(rows, draw.indices, draw.positive, costs[j], settings);
        ap[k][s][j][c] = SvmBenchmark.testAp(svm, testFeatures, test, c, apMethod);
      }
    });
    List<LowShotResult.ShotScore> scores = new ArrayList<>();
    for (int k = 0; k < shots.length; k++) {
      double[][] sampleMap = new double[costs.length][samples];
      double[] meanPerCost = new double[costs.length];
      for (int j = 0; j < costs.length; j++) {
        for (int s = 0; s < samples; s++) {
          sampleMap[j][s] = SvmBenchmark.mean(ap[k][s][j]);
        }
        meanPerCost[j] = SvmBenchmark.mean(sampleMap[j]);
      }
      int best = SvmBenchmark.argMax(meanPerCost);
      double[] values = sampleMap[best];
      scores.add(new LowShotResult.ShotScore(
          shots[k], costs[best], meanPerCost[best],
          Arrays.stream(values).min().orElseThrow(),
          Arrays.stream(values).max().orElseThrow(),
          populationStd(values), values));
    }
    return new LowShotResult(tap.tap(), scores);
  }

  /** k positives and negativesPerPositive * k negatives of one class, seeded by (k, sample, class). */
  private Draw draw(MultiLabelTargets train, int classIndex, int k, int sample) {
    List<Integer> positives = new ArrayList<>();
    List<Integer> negatives = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      byte flag = train.flag(i, classIndex);
      if (flag == MultiLabelTargets.POSITIVE) {
        positives.add(i);
      } else if (flag == MultiLabelTargets.NEGATIVE) {
        negatives.add(i);
      }
    }
    Random random = new Random(Objects.hash(seed, k, sample, classIndex));
    java.util.Collections.shuffle(positives, random);
    java.util.Collections.shuffle(negatives, random);
    int p = Math.min(k, positives.size());
    int n = (int) Math.min((long) negativesPerPositive * k, negatives.size());
    int[] indices = new int[p + n];
    boolean[] positive = new boolean[p + n];
    for (int i = 0; i < p; i++) {
      indices[i] = positives.get(i);
      positive[i] = true;
    }
    for (int i = 0; i < n; i++) {
      indices[p + i] = negatives.get(i);
    }
    return new Draw(indices, positive);
  }

  static double populationStd(double[] values) {
    double mean = SvmBenchmark.mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }

  private record Draw(int[] indices, boolean[] positive) {}

  /** Settings of the benchmark; every option has the protocol's default. */
  public static final class Builder {
    private int[] shots = {1, 2, 4, 8, 16, 32, 64, 96};
    private int samples = 5;
    private int negativesPerPositive = 19;
    private double[] costs = {0.01, 0.1, 1, 10, 100};
    private SvmSettings settings = SvmSettings.voc07();
    private VocAveragePrecision.Method apMethod = VocAveragePrecision.Method.ALL_POINTS;
    private long seed = 0;
    private int threads = Parallel.defaultThreads();

    private Builder() {}

    public Builder optShots(int... shots) {
      this.shots = shots.clone();
      return this;
    }

    public Builder optSamples(int samples) {
      this.samples = samples;
      return this;
    }

    public Builder optNegativesPerPositive(int negativesPerPositive) {
      this.negativesPerPositive = negativesPerPositive;
      return this;
    }

    public Builder optCosts(double... costs) {
      this.costs = costs.clone();
      return this;
    }

    public Builder optSettings(SvmSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Builder optApMethod(VocAveragePrecision.Method apMethod) {
      this.apMethod = Objects.requireNonNull(apMethod, "apMethod");
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    public LowShotSvmBenchmark build() {
      if (shots.length == 0 || Arrays.stream(shots).anyMatch(k -> k < 1)) {
        throw new IllegalArgumentException("shots must be a non-empty list of k >= 1");
      }
      if (samples < 1) {
        throw new IllegalArgumentException("samples must be >= 1, got " + samples);
      }
      if (negativesPerPositive < 1) {
        throw new IllegalArgumentException("negativesPerPositive must be >= 1");
      }
      if (costs.length == 0 || Arrays.stream(costs).anyMatch(c -> !(c > 0) || Double.isInfinite(c))) {
        throw new IllegalArgumentException("costs must be a non-empty list of positive numbers");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      return new LowShotSvmBenchmark(this);
    }
  }
}
