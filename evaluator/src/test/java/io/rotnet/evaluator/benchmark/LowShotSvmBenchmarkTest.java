package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LowShotSvmBenchmarkTest {
  private static final List<String> CLASSES = List.of("a", "b", "c", "d");

  @Test
  void moreShotsHelpOnOverlappingClustersAndStatisticsAreConsistent() {
    Clusters train = Clusters.generate(4, 200, 16, 2.0, 1.0, 11);
    Clusters test = Clusters.generate(4, 100, 16, 2.0, 1.0, 12);
    TapFeatures tap = new TapFeatures("feature5", train.features, test.features);
    LowShotSvmBenchmark lowShot = LowShotSvmBenchmark.builder()
        .optShots(1, 8)
        .optCosts(0.1, 1, 10)
        .optThreads(2)
        .build();

    LowShotResult result = lowShot.evaluateTap(
        tap, MultiLabelTargets.oneVsRest(train.labels, CLASSES), MultiLabelTargets.oneVsRest(test.labels, CLASSES));

    assertThat(result.shots()).extracting(LowShotResult.ShotScore::k).containsExactly(1, 8);
    for (LowShotResult.ShotScore shot : result.shots()) {
      assertThat(shot.sampleMaps()).hasSize(5);
      assertThat(shot.min()).isLessThanOrEqualTo(shot.mean());
      assertThat(shot.max()).isGreaterThanOrEqualTo(shot.mean());
      assertThat(shot.std()).isGreaterThanOrEqualTo(0);
      assertThat(shot.cost()).isIn(0.1, 1.0, 10.0);
    }
    LowShotResult.ShotScore one = result.shots().get(0);
    LowShotResult.ShotScore eight = result.shots().get(1);
    assertThat(one.std()).isGreaterThan(0); // five different one-shot draws disagree
    assertThat(eight.mean()).isGreaterThan(one.mean());
    assertThat(eight.mean()).isGreaterThan(0.7);
  }

  @Test
  void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
    Clusters train = Clusters.generate(4, 60, 8, 1.0, 1.0, 21);
    Clusters test = Clusters.generate(4, 30, 8, 1.0, 1.0, 22);
    TapFeatures tap = new TapFeatures("feature4", train.features, test.features);
    MultiLabelTargets trainTargets = MultiLabelTargets.oneVsRest(train.labels, CLASSES);
    MultiLabelTargets testTargets = MultiLabelTargets.oneVsRest(test.labels, CLASSES);

    double[] first = run(tap, trainTargets, testTargets, 7, 1);
    double[] again = run(tap, trainTargets, testTargets, 7, 2);
    double[] other = run(tap, trainTargets, testTargets, 8, 2);

    assertThat(again).containsExactly(first);
    assertThat(other).isNotEqualTo(first);
  }

  private static double[] run(
      TapFeatures tap, MultiLabelTargets train, MultiLabelTargets test, long seed, int threads) {
    return LowShotSvmBenchmark.builder().optShots(2).optNegativesPerPositive(3).optCosts(1)
        .optSeed(seed).optThreads(threads).build()
        .evaluateTap(tap, train, test).shots().get(0).sampleMaps();
  }

  @Test
  void negativesAreClassesMinusOneTimesKUnlessSet() {
    LowShotSvmBenchmark reference = LowShotSvmBenchmark.builder().build();
    assertThat(reference.negativesPerPositive(20)).isEqualTo(19);
    assertThat(reference.negativesPerPositive(4)).isEqualTo(3);
    assertThat(LowShotSvmBenchmark.builder().optNegativesPerPositive(5).build().negativesPerPositive(20)).isEqualTo(5);
  }
}
