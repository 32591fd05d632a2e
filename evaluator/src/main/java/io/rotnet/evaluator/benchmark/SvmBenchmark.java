package io.rotnet.evaluator.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * VOC07 linear SVM benchmark (FAIR self-supervision benchmark protocol, as MMSelfSup runs it).
 *
 * <p>Protocol, per feature tap:
 *
 * <ol>
 *   <li>Each feature row is divided by (its L2 norm + 1e-5).
 *   <li>For each class, for each cost C in the cost list (default {@link #REFERENCE_COSTS}, the
 *       reference's 19: {1, 10, 100} then 0.5^4 .. 0.5^19): a linear SVM ({@link
 *       SvmSettings#voc07()}: squared hinge, L2, class weight positive 2 : negative 1, tol 1e-4,
 *       2000 epochs, bias 1) is scored by stratified 3-fold cross-validation on the training set
 *       with uninterpolated AP ({@link VocAveragePrecision.Method#STEPWISE}); the cost with the
 *       best mean fold AP (the first in the list's order on ties, as numpy's argmax) is kept and
 *       the SVM is retrained on the whole training set with it.
 *   <li>The SVM scores every test image; AP is computed with the VOC formula ({@link
 *       VocAveragePrecision.Method#ALL_POINTS} by default) over the test images that are not
 *       difficult for that class.
 *   <li>mAP is the mean AP over classes. The benchmark reports mAP per tap and the best tap.
 * </ol>
 *
 * Difficult training images count as negatives, as in the reference's k-fold training script
 * (only testing drops them); {@link Builder#optDifficultAsNegative(boolean)} can drop them instead.
 *
 * <p>The SVMs are solved in the dual on the tap's {@link SvmKernel} (shared with the low-shot
 * benchmark) by {@link SquaredHingeDual}, liblinear's algorithm and stopping rule; each (class,
 * fold) solves its costs in increasing order, each from the previous solution. Classes and folds
 * run in parallel; results do not depend on the thread count.
 */
public final class SvmBenchmark {
  /** MMSelfSup's cost list: {@code --costs_list 1.0,10.0,100.0} plus 0.5^4 .. 0.5^19 ({@code svm_helper.parse_cost_list}). */
  public static final double[] REFERENCE_COSTS = referenceCosts();

  private final double[] costs;
  private final int folds;
  private final SvmSettings settings;
  private final VocAveragePrecision.Method apMethod;
  private final boolean difficultAsNegative;
  private final int threads;

  private SvmBenchmark(Builder builder) {
    this.costs = builder.costs.clone();
    this.folds = builder.folds;
    this.settings = builder.settings;
    this.apMethod = builder.apMethod;
    this.difficultAsNegative = builder.difficultAsNegative;
    this.threads = builder.threads;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static double[] referenceCosts() {
    double[] costs = new double[19];
    costs[0] = 1;
    costs[1] = 10;
    costs[2] = 100;
    for (int p = 4; p < 20; p++) {
      costs[p - 1] = Math.pow(0.5, p);
    }
    return costs;
  }

  /** Evaluates every tap and picks the best. */
  public SvmResult evaluate(List<TapFeatures> taps, MultiLabelTargets train, MultiLabelTargets test) {
    if (taps.isEmpty()) {
      throw new IllegalArgumentException("the SVM benchmark needs at least one tap");
    }
    List<SvmResult.TapScore> scores = new ArrayList<>();
    for (TapFeatures tap : taps) {
      scores.add(evaluateTap(tap, train, test));
    }
    return new SvmResult(scores);
  }

  /** Trains and scores the per-class SVMs of one tap. */
  public SvmResult.TapScore evaluateTap(TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test) {
    checkAligned(tap, train, test);
    return evaluateTap(tap.tap(), SvmKernel.shared(tap, settings.bias()), train, test);
  }

  /** Trains and scores the per-class SVMs of one tap from its kernel. */
  SvmResult.TapScore evaluateTap(String tap, SvmKernel kernel, MultiLabelTargets train, MultiLabelTargets test) {
    int classes = train.classCount();
    int[] order = ascending(costs);
    double[][][] foldAp = new double[classes][folds][];
    AtomicInteger unconverged = new AtomicInteger();
    Parallel.forEachShared(classes * folds, threads, task -> {
      int c = task / folds;
      int f = task % folds;
      TrainingSet set = trainingSet(train, c);
      int[] fold = StratifiedFolds.assign(set.positive, folds);
      TrainingSet fit = set.select(fold, f, false);
      TrainingSet held = set.select(fold, f, true);
      double[] ap = new double[costs.length];
      SvmFit model = new SvmFit(kernel, fit, settings, seed(c, f));
      for (int k : order) {
        unconverged.addAndGet(model.solve(costs[k]) ? 0 : 1);
        double[] scores = model.trainDecisions(held.indices);
        ap[k] = VocAveragePrecision.of(scores, held.positive, VocAveragePrecision.Method.STEPWISE);
      }
      foldAp[c][f] = ap;
    });
    double[][] cvAp = new double[classes][costs.length];
    for (int c = 0; c < classes; c++) {
      for (int f = 0; f < folds; f++) {
        for (int k = 0; k < costs.length; k++) {
          cvAp[c][k] += foldAp[c][f][k];
        }
      }
      for (int k = 0; k < costs.length; k++) {
        cvAp[c][k] /= folds;
      }
    }
    double[] chosenCost = new double[classes];
    double[] testAp = new double[classes];
    Parallel.forEachShared(classes, threads, c -> {
      chosenCost[c] = costs[argMax(cvAp[c])];
      SvmFit model = new SvmFit(kernel, trainingSet(train, c), settings, seed(c, folds));
      // warm start along the costs up to the chosen one: the same optimum, reached sooner
      for (int k : order) {
        if (costs[k] <= chosenCost[c]) {
          unconverged.addAndGet(model.solve(costs[k]) ? 0 : 1);
        }
      }
      testAp[c] = testAp(model.testDecisions(), test, c, apMethod);
    });
    return new SvmResult.TapScore(tap, mean(testAp), testAp, chosenCost, cvAp, unconverged.get());
  }

  private static long seed(int classIndex, int fold) {
    return 0x5eedL * 1_000_003L + classIndex * 1_009L + fold;
  }

  /** Indices of the costs in increasing order (stable). */
  static int[] ascending(double[] costs) {
    return java.util.stream.IntStream.range(0, costs.length).boxed()
        .sorted(java.util.Comparator.comparingDouble(k -> costs[k]))
        .mapToInt(Integer::intValue).toArray();
  }

  /** The examples one class trains on, with their binary labels. */
  private TrainingSet trainingSet(MultiLabelTargets targets, int classIndex) {
    int[] indices = new int[targets.size()];
    boolean[] positive = new boolean[targets.size()];
    int n = 0;
    for (int i = 0; i < targets.size(); i++) {
      byte flag = targets.flag(i, classIndex);
      if (flag == MultiLabelTargets.DIFFICULT && !difficultAsNegative) {
        continue;
      }
      indices[n] = i;
      positive[n] = flag == MultiLabelTargets.POSITIVE;
      n++;
    }
    return new TrainingSet(Arrays.copyOf(indices, n), Arrays.copyOf(positive, n));
  }

  /** Test AP of one class from the decision values of every test image, difficult ones left out. */
  static double testAp(
      double[] decisions, MultiLabelTargets test, int classIndex, VocAveragePrecision.Method method) {
    int n = 0;
    double[] scores = new double[test.size()];
    boolean[] positive = new boolean[test.size()];
    for (int i = 0; i < test.size(); i++) {
      byte flag = test.flag(i, classIndex);
      if (flag == MultiLabelTargets.DIFFICULT) {
        continue;
      }
      scores[n] = decisions[i];
      positive[n] = flag == MultiLabelTargets.POSITIVE;
      n++;
    }
    return VocAveragePrecision.of(Arrays.copyOf(scores, n), Arrays.copyOf(positive, n), method);
  }

  static void checkAligned(TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test) {
    if (tap.train().rows() != train.size() || tap.test().rows() != test.size()) {
      throw new IllegalArgumentException(
          "tap " + tap.tap() + " has " + tap.train().rows() + "/" + tap.test().rows()
              + " train/test rows but the targets have " + train.size() + "/" + test.size());
    }
    if (train.classCount() != test.classCount()) {
      throw new IllegalArgumentException("train and test targets have different classes");
    }
  }

  static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? Double.NaN : sum / values.length;
  }

  /** Indices into the training rows and the matching binary labels. */
  record TrainingSet(int[] indices, boolean[] positive) {
    TrainingSet select(int[] fold, int f, boolean inFold) {
      int n = 0;
      for (int value : fold) {
        n += (value == f) == inFold ? 1 : 0;
      }
      int[] idx = new int[n];
      boolean[] pos = new boolean[n];
      int k = 0;
      for (int i = 0; i < fold.length; i++) {
        if ((fold[i] == f) == inFold) {
          idx[k] = indices[i];
          pos[k] = positive[i];
          k++;
        }
      }
      return new TrainingSet(idx, pos);
    }
  }

  /** Settings of the benchmark; every option has the protocol's default. */
  public static final class Builder {
    private double[] costs = REFERENCE_COSTS.clone();
    private int folds = 3;
    private SvmSettings settings = SvmSettings.voc07();
    private VocAveragePrecision.Method apMethod = VocAveragePrecision.Method.ALL_POINTS;
    private boolean difficultAsNegative = true;
    private int threads = Parallel.defaultThreads();

    private Builder() {}

    public Builder optCosts(double... costs) {
      this.costs = costs.clone();
      return this;
    }

    public Builder optFolds(int folds) {
      this.folds = folds;
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

    public Builder optDifficultAsNegative(boolean difficultAsNegative) {
      this.difficultAsNegative = difficultAsNegative;
      return this;
    }

    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    public SvmBenchmark build() {
      if (costs.length == 0) {
        throw new IllegalArgumentException("the cost list is empty");
      }
      for (double cost : costs) {
        if (!(cost > 0) || Double.isInfinite(cost)) {
          throw new IllegalArgumentException("costs must be positive and finite, got " + cost);
        }
      }
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be >= 2, got " + folds);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      return new SvmBenchmark(this);
    }
  }
}
