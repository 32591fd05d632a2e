package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SvmBenchmarkTest {
  private static final List<String> CLASSES = List.of("a", "b", "c");

  /** Three classes one noise deviation apart: the large costs leave many examples in the margin. */
  private record Overlapping(TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test) {
    static Overlapping of(int trainPerClass, int testPerClass, int dims, long seed) {
      Clusters train = Clusters.generate(3, trainPerClass, dims, 1.0, 1.0, seed);
      Clusters test = Clusters.generate(3, testPerClass, dims, 1.0, 1.0, seed + 1);
      return new Overlapping(new TapFeatures("overlapping", train.features, test.features),
          MultiLabelTargets.oneVsRest(train.labels, CLASSES), MultiLabelTargets.oneVsRest(test.labels, CLASSES));
    }
  }

  @Test
  void separableClustersReachPerfectMapAndNoiseDoesNot() {
    Clusters train = Clusters.generate(3, 40, 12, 4.0, 0.5, 1);
    Clusters test = Clusters.generate(3, 30, 12, 4.0, 0.5, 2);
    MultiLabelTargets trainTargets = MultiLabelTargets.oneVsRest(train.labels, CLASSES);
    MultiLabelTargets testTargets = MultiLabelTargets.oneVsRest(test.labels, CLASSES);
    List<TapFeatures> taps = List.of(
        new TapFeatures("noise", Clusters.noise(120, 12, 3), Clusters.noise(90, 12, 4)),
        new TapFeatures("clusters", train.features, test.features));

    SvmResult result = SvmBenchmark.builder().optCosts(0.1, 1, 10).optThreads(2).build()
        .evaluate(taps, trainTargets, testTargets);

    SvmResult.TapScore clusters = result.taps().get(1);
    assertThat(clusters.meanAp()).isEqualTo(1.0);
    assertThat(clusters.classAp()).containsOnly(1.0);
    assertThat(java.util.Arrays.stream(clusters.chosenCost()).boxed()).allSatisfy(cost -> assertThat(cost).isIn(0.1, 1.0, 10.0));
    // one positive in three: random scores give AP near the base rate, far from 1
    assertThat(result.taps().get(0).meanAp()).isBetween(0.15, 0.7);
    assertThat(result.best().tap()).isEqualTo("clusters");
  }

  /**
   * A tap narrow enough for the primal (13 dimensions with the bias, 600 rows): its large costs are
   * finished by Newton steps. Solving every problem in the dual alone, to convergence, must give
   * the same cross-validation APs, chosen costs and test APs.
   */
  @Test
  void theNewtonFinishGivesTheResultsOfTheDualDescentRunToConvergence() {
    Overlapping data = Overlapping.of(200, 100, 12, 21);
    SvmKernel kernel = SvmKernel.of(data.tap(), 1.0);
    assertThat(kernel.primalRows(new int[] {0})).as("rows kept for the primal").isNotNull();
    SvmSettings reference = SvmSettings.voc07();
    SvmSettings unlimited = new SvmSettings(reference.positiveWeight(), reference.negativeWeight(),
        reference.tolerance(), 1_000_000, reference.bias());

    SvmResult.TapScore withNewton = SvmBenchmark.builder().optThreads(2).build()
        .evaluateTap("overlapping", kernel, data.train(), data.test());
    SvmResult.TapScore dualOnly = SvmBenchmark.builder().optSettings(unlimited).optThreads(2).build()
        .evaluateTap("overlapping", kernel.withoutPrimalRows(), data.train(), data.test());

    assertThat(withNewton.unconvergedFits()).isZero();
    assertThat(dualOnly.unconvergedFits()).isZero();
    assertThat(withNewton.chosenCost()).containsExactly(dualOnly.chosenCost());
    for (int c = 0; c < CLASSES.size(); c++) {
      assertThat(withNewton.crossValidationAp()[c]).containsExactly(dualOnly.crossValidationAp()[c], within(1e-3));
    }
    assertThat(withNewton.classAp()).containsExactly(dualOnly.classAp(), within(1e-3));
    assertThat(withNewton.meanAp()).isBetween(0.3, 0.99);
  }

  @Test
  void difficultTestImagesAreIgnoredWhenScoring() {
    Clusters train = Clusters.generate(3, 40, 12, 4.0, 0.5, 5);
    Clusters test = Clusters.generate(3, 30, 12, 4.0, 0.5, 6);
    MultiLabelTargets trainTargets = MultiLabelTargets.oneVsRest(train.labels, CLASSES);
    // test image 0 looks like class 0 and is a class-0 positive; call it a class-1 example
    // instead: as a negative of class 0 it spoils class 0's ranking, as a difficult one it must not
    byte[][] asNegative = flags(test.labels, 3);
    asNegative[0][0] = MultiLabelTargets.NEGATIVE;
    byte[][] asDifficult = flags(test.labels, 3);
    asDifficult[0][0] = MultiLabelTargets.DIFFICULT;
    SvmBenchmark svm = SvmBenchmark.builder().optCosts(1).optThreads(1).build();
    TapFeatures tap = new TapFeatures("clusters", train.features, test.features);

    double spoiled = svm.evaluateTap(tap, trainTargets, new MultiLabelTargets(CLASSES, asNegative)).classAp()[0];
    double ignored = svm.evaluateTap(tap, trainTargets, new MultiLabelTargets(CLASSES, asDifficult)).classAp()[0];

    assertThat(spoiled).isLessThan(0.99);
    assertThat(ignored).isEqualTo(1.0);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Overlapping data = Overlapping.of(30, 20, 8, 7);

    SvmResult.TapScore one = SvmBenchmark.builder().optThreads(1).build().evaluateTap(data.tap(), data.train(), data.test());
    SvmResult.TapScore two = SvmBenchmark.builder().optThreads(2).build().evaluateTap(data.tap(), data.train(), data.test());

    assertThat(two.classAp()).containsExactly(one.classAp());
    assertThat(two.chosenCost()).containsExactly(one.chosenCost());
    assertThat(one.meanAp()).isBetween(0.4, 0.999);
  }

  @Test
  void rejectsMisalignedTargetsAndBadCosts() {
    Clusters train = Clusters.generate(3, 10, 4, 4.0, 0.5, 1);
    MultiLabelTargets targets = MultiLabelTargets.oneVsRest(train.labels, CLASSES);
    TapFeatures tap = new TapFeatures("t", train.features, train.features.head(5));
    assertThatThrownBy(() -> SvmBenchmark.builder().build().evaluateTap(tap, targets, targets))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows");
    assertThatThrownBy(() -> SvmBenchmark.builder().optCosts(0.1, -1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[][] flags(int[] labels, int classes) {
    byte[][] flags = new byte[labels.length][classes];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < classes; c++) {
        flags[i][c] = labels[i] == c ? MultiLabelTargets.POSITIVE : MultiLabelTargets.NEGATIVE;
      }
    }
    return flags;
  }

  @Test
  void nonFiniteFeaturesAreRefusedWithTheirPlace() {
    Clusters train = Clusters.generate(3, 10, 4, 4.0, 0.5, 1);
    float[] data = train.features.rawData().clone();
    data[2 * 4 + 1] = Float.NaN;
    TapFeatures tap = new TapFeatures("feature2", FeatureMatrix.wrap(30, 4, data), train.features);
    MultiLabelTargets targets = MultiLabelTargets.oneVsRest(train.labels, CLASSES);
    assertThatThrownBy(() -> SvmBenchmark.builder().build().evaluateTap(tap, targets, targets))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature2").hasMessageContaining("row 2").hasMessageContaining("NaN");
  }

  @Test
  void aClassWithoutTrainingPositivesScoresZeroInsteadOfFailing() {
    Clusters train = Clusters.generate(3, 20, 8, 4.0, 0.5, 9);
    Clusters test = Clusters.generate(3, 10, 8, 4.0, 0.5, 10);
    byte[][] flags = flags(train.labels, 3);
    for (byte[] row : flags) {
      row[2] = MultiLabelTargets.NEGATIVE; // class c has no positive training image
    }
    TapFeatures tap = new TapFeatures("t", train.features, test.features);
    SvmResult.TapScore score = SvmBenchmark.builder().optCosts(1).optThreads(1).build()
        .evaluateTap(tap, new MultiLabelTargets(CLASSES, flags), MultiLabelTargets.oneVsRest(test.labels, CLASSES));
    assertThat(score.classAp()[0]).isEqualTo(1.0);
    // a constant scorer ranks every test image alike: AP is the positives' share
    assertThat(score.classAp()[2]).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void theSvmAndTheLowShotSvmShareOneKernelPerTap() {
    Clusters train = Clusters.generate(3, 20, 8, 4.0, 0.5, 11);
    TapFeatures tap = new TapFeatures("t", train.features, train.features);
    TapFeatures sameValues = new TapFeatures("t", FeatureMatrix.wrap(60, 8, train.features.rawData().clone()), train.features);
    assertThat(SvmKernel.shared(sameValues, 1.0)).isSameAs(SvmKernel.shared(tap, 1.0));
    float[] changed = train.features.rawData().clone();
    changed[0] += 1;
    assertThat(SvmKernel.shared(new TapFeatures("t", FeatureMatrix.wrap(60, 8, changed), train.features), 1.0))
        .isNotSameAs(SvmKernel.shared(tap, 1.0));
  }
}
