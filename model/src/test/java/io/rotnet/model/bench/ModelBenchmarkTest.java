package io.rotnet.model.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the benchmark's code path on the smallest setting; figures come from `rotnet bench model`. */
class ModelBenchmarkTest {

  @Test
  void measuresEveryTaskForBothModels() {
    StringWriter log = new StringWriter();
    ModelBenchSettings settings =
        ModelBenchSettings.builder()
            .optSizes(List.of(32))
            .optBatchSize(2)
            .optWarmUpSteps(0)
            .optTimedSteps(1)
            .build();

    List<ModelBenchResult> results = new ModelBenchmark(settings, new PrintWriter(log)).run();

    assertThat(results).extracting(ModelBenchResult::task).containsExactly("train", "features", "avgpool");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.size()).isEqualTo(32);
      assertThat(r.oursImagesPerSecond()).isPositive().isFinite();
      assertThat(r.djlImagesPerSecond()).isPositive().isFinite();
    });
    assertThat(ModelBenchmark.table(results)).contains("| 32 px | train | 1 |").contains("ours / DJL");
    assertThat(log.toString()).contains("32 px, batch 2: 0 warm-up + 1 timed steps per model");
  }

  @Test
  void defaultsToTheReferenceBenchmark() {
    ModelBenchSettings settings = ModelBenchSettings.builder().build();

    assertThat(settings.sizes()).containsExactly(64, 224);
    assertThat(settings.batchSize()).isEqualTo(32);
    assertThat(settings.timedStepsFor(64)).isEqualTo(5);
    assertThat(settings.timedStepsFor(224)).isEqualTo(2);
    assertThatThrownBy(() -> ModelBenchSettings.builder().optDepth(18).build())
        .hasMessageContaining("depth");
  }
}
