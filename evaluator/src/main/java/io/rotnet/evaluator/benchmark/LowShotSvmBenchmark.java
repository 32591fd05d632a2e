package io.rotnet.evaluator.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Low-shot VOC07 SVM benchmark (FAIR self-supervision benchmark protocol, as MMSelfSup runs it).
 *
 * <p>Protocol, per feature tap, features L2-normalized as in {@link SvmBenchmark}:
 *
 * <ol>
 *   <li>For each k in {1, 2, 4, 8, 16, 32, 64, 96} and each of 5 independent samples, every class
 *       draws k of its positive training images and (classes - 1) x k of its negative ones (19k on
 *       VOC07's 20 classes; difficult images are never drawn; when a class has fewer, all of them
 *       are used). Draws are seeded, so the same seed gives the same draws; {@link
 *       Builder#optReferenceSamples} takes the reference's own sample files instead.
 *   <li>For each cost in the list (default the reference's 19, {@link
 *       SvmBenchmark#REFERENCE_COSTS}), one SVM per class ({@link SvmSettings#voc07()}) is trained
 *       on its draw, with no cross-validation, and scored on the full test set (difficult test
 *       images left out) with VOC AP; the classes' mean is that sample's mAP at that cost.
 *   <li>Per k, the cost with the best mean mAP over the samples is chosen, and the mean, min, max
 *       and (population) standard deviation of the samples' mAP at that cost are reported.
 * </ol>
 *
 * The SVMs are solved on the tap's {@link SvmKernel}, shared with the {@code svm} benchmark of the
 * same process; each draw solves its costs in increasing order from the previous solution.
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
  private final LowShotSamples referenceSamples;

  private LowShotSvmBenchmark(Builder builder) {
    this.shots = builder.shots.clone();
    this.samples = builder.samples;
    this.negativesPerPositive = builder.negativesPerPositive;
    this.costs = builder.costs.clone();
    this.settings = builder.settings;
    this.apMethod = builder.apMethod;
    this.seed = builder.seed;
    this.threads = builder.threads;
    this.referenceSamples = builder.referenceSamples;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Results per k for one tap. */
  public LowShotResult evaluateTap(TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test) {
    SvmBenchmark.checkAligned(tap, train, test);
    return evaluateTap(tap.tap(), SvmKernel.shared(tap, settings.bias()), train, test);
  }

  LowShotResult evaluateTap(String tap, SvmKernel kernel, MultiLabelTargets train, MultiLabelTargets test) {
    int classes = train.classCount();
    if (referenceSamples != null) {
      referenceSamples.check(samples, shots, classes);
    }
    int negativesEach = negativesPerPositive(classes);
    int[] order = SvmBenchmark.ascending(costs);
    // ap[k][sample][cost][class]
    double[][][][] ap = new double[shots.length][samples][costs.length][classes];
    AtomicInteger unconverged = new AtomicInteger();
    int tasks = shots.length * samples * classes;
    Parallel.forEachShared(tasks, threads, task -> {
      int c = task % classes;
      int s = (task / classes) % samples;
      int k = task / (classes * samples);
      SvmBenchmark.TrainingSet draw = draw(train, c, shots[k], s, negativesEach);
      SvmFit model = new SvmFit(kernel, draw, settings, task);
      for (int j : order) {
        unconverged.addAndGet(model.solve(costs[j]) ? 0 : 1);
        ap[k][s][j][c] = SvmBenchmark.testAp(model.testDecisions(), test, c, apMethod);
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
    return new LowShotResult(tap, scores, unconverged.get());
  }

  /** Negatives drawn per positive: the reference's classes - 1 (19 on VOC07) unless set. */
  int negativesPerPositive(int classes) {
    return negativesPerPositive > 0 ? negativesPerPositive : Math.max(1, classes - 1);
  }

  /** One class's draw: from the reference's files, or k positives and negativesEach * k negatives seeded by (k, sample, class). */
  private SvmBenchmark.TrainingSet draw(MultiLabelTargets train, int classIndex, int k, int sample, int negativesEach) {
    int[] positives;
    int[] negatives;
    if (referenceSamples != null) {
      positives = referenceSamples.positives(sample, k, classIndex);
      negatives = referenceSamples.negatives(sample, k, classIndex);
    } else {
      List<Integer> pos = new ArrayList<>();
      List<Integer> neg = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        byte flag = train.flag(i, classIndex);
        if (flag == MultiLabelTargets.POSITIVE) {
          pos.add(i);
        } else if (flag == MultiLabelTargets.NEGATIVE) {
          neg.add(i);
        }
      }
      Random random = new Random(Objects.hash(seed, k, sample, classIndex));
      Collections.shuffle(pos, random);
      Collections.shuffle(neg, random);
      positives = pos.stream().limit(k).mapToInt(Integer::intValue).toArray();
      negatives = neg.stream().limit((long) negativesEach * k).mapToInt(Integer::intValue).toArray();
    }
    int[] indices = new int[positives.length + negatives.length];
    boolean[] positive = new boolean[indices.length];
    System.arraycopy(positives, 0, indices, 0, positives.length);
    System.arraycopy(negatives, 0, indices, positives.length, negatives.length);
    Arrays.fill(positive, 0, positives.length, true);
    return new SvmBenchmark.TrainingSet(indices, positive);
  }

  static double populationStd(double[] values) {
    double mean = SvmBenchmark.mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }

  /** Settings of the benchmark; every option has the protocol's default. */
  public static final class Builder {
    private int[] shots = {1, 2, 4, 8, 16, 32, 64, 96};
    private int samples = 5;
    private int negativesPerPositive = 0;
    private double[] costs = SvmBenchmark.REFERENCE_COSTS.clone();
    private SvmSettings settings = SvmSettings.voc07();
    private VocAveragePrecision.Method apMethod = VocAveragePrecision.Method.ALL_POINTS;
    private long seed = 0;
    private int threads = Parallel.defaultThreads();
    private LowShotSamples referenceSamples;

    private Builder() {}

    /** Trains on the draws of the reference's sample files instead of seeded draws of its own. */
    public Builder optReferenceSamples(LowShotSamples samples) {
      this.referenceSamples = samples;
      return this;
    }

    public Builder optShots(int... shots) {
      this.shots = shots.clone();
      return this;
    }

    public Builder optSamples(int samples) {
      this.samples = samples;
      return this;
    }

    /** Negatives drawn per positive; 0 (default) = classes - 1, the reference's rule. */
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
      if (negativesPerPositive < 0) {
        throw new IllegalArgumentException("negativesPerPositive must be >= 0 (0 = classes - 1)");
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
