package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

  @Test
  void multiHeadPresetLearnsASeparableProblemEvenWithBadlyScaledFeatures() {
    Clusters train = Clusters.generate(6, 100, 32, 3.0, 0.5, 1);
    Clusters test = Clusters.generate(6, 50, 32, 3.0, 0.5, 2);
    // a large offset and scale: the BatchNorm in front of the Linear layer must undo them
    FeatureMatrix trainShifted = affine(train.features, 1000f, 500f);
    FeatureMatrix testShifted = affine(test.features, 1000f, 500f);

    ProbeResult result = LinearProbe.multiHead(6).optBatchSize(64).build()
        .train("feature3", trainShifted, train.labels, testShifted, test.labels, 6);

    assertThat(result.top1()).isEqualTo(100.0);
    assertThat(result.top5()).isEqualTo(100.0);
    assertThat(result.epochLoss()[5]).isLessThan(result.epochLoss()[0]);
  }

  @Test
  void avgPoolPresetLearnsASeparableProblemWithItsLargeLearningRate() {
    Clusters train = Clusters.generate(10, 60, 64, 2.0, 0.1, 3);
    Clusters test = Clusters.generate(10, 30, 64, 2.0, 0.1, 4);

    ProbeResult result = LinearProbe.avgPool(10).optBatchSize(64).build()
        .train("avgpool", train.features, train.labels, test.features, test.labels, 10);

    assertThat(result.top1()).isEqualTo(100.0);
  }

  @Test
  void unlearnableLabelsStayNearChance() {
    Clusters train = Clusters.generate(4, 100, 16, 3.0, 0.5, 5);
    FeatureMatrix noiseTrain = Clusters.noise(400, 16, 6);
    FeatureMatrix noiseTest = Clusters.noise(400, 16, 7);

    ProbeResult result = LinearProbe.multiHead(3).optBatchSize(64).build()
        .train("noise", noiseTrain, train.labels, noiseTest, train.labels, 4);

    assertThat(result.top1()).isBetween(10.0, 45.0);
  }

  @Test
  void tapsAreTrainedIndependentlyAndInOrder() {
    Clusters train = Clusters.generate(3, 50, 8, 3.0, 0.5, 8);
    Clusters test = Clusters.generate(3, 20, 8, 3.0, 0.5, 9);
    List<TapFeatures> taps = List.of(
        new TapFeatures("noise", Clusters.noise(150, 8, 1), Clusters.noise(60, 8, 2)),
        new TapFeatures("clusters", train.features, test.features));

    List<ProbeResult> results = LinearProbe.multiHead(4).optBatchSize(32).optThreads(2).build()
        .evaluate(taps, train.labels, test.labels, 3);

    assertThat(results).extracting(ProbeResult::tap).containsExactly("noise", "clusters");
    assertThat(results.get(1).top1()).isEqualTo(100.0);
    assertThat(results.get(0).top1()).isLessThan(70.0);
  }

  @Test
  void rankCountsStrictlyBetterClassesAndEarlierTies() {
    assertThat(LinearProbe.rankOf(new float[] {0.1f, 0.5f, 0.3f}, 2)).isEqualTo(1);
    assertThat(LinearProbe.rankOf(new float[] {0.5f, 0.5f, 0.3f}, 1)).isEqualTo(1);
    assertThat(LinearProbe.rankOf(new float[] {0.5f, 0.5f, 0.3f}, 0)).isEqualTo(0);
  }

  @Test
  void builderRejectsMeaninglessSettings() {
    assertThatThrownBy(() -> LinearProbe.builder().build()).hasMessageContaining("epochs");
    assertThatThrownBy(() -> LinearProbe.multiHead(2).optMilestones(1.5).build())
        .hasMessageContaining("milestones");
    assertThatThrownBy(() -> LinearProbe.avgPool(2).optNesterov(true).optMomentum(0).build())
        .hasMessageContaining("Nesterov");
  }

  private static FeatureMatrix affine(FeatureMatrix m, float scale, float offset) {
    float[] data = m.rawData().clone();
    for (int i = 0; i < data.length; i++) {
      data[i] = data[i] * scale + offset;
    }
    return FeatureMatrix.wrap(m.rows(), m.dims(), data);
  }
}
