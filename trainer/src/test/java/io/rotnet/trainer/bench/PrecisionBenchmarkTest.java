package io.rotnet.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.precision.Precision;
import org.junit.jupiter.api.Test;

class PrecisionBenchmarkTest {

  @Test
  void comparesEveryRunnablePrecisionAndSaysWhyTheOthersDidNotRun() throws Exception {
    PrecisionBenchResult result =
        PrecisionBenchmark.builder()
            .optPlan(
                BenchPlan.precisions().toBuilder()
                    .preset(TrainingPresets.TINY_CPU.toBuilder().batchSize(16).build())
                    .steps(1)
                    .rounds(2)
                    .warmUpSteps(0)
                    .resnet50(0, 1)
                    .build())
            .build()
            .run();

    assertThat(result.comparisons()).hasSize(1);
    PrecisionComparison tiny = result.comparisons().get(0);
    assertThat(tiny.entries())
        .extracting(PrecisionComparison.Entry::precision)
        .containsExactly(Precision.FP32, Precision.BF16, Precision.FP16);
    assertThat(tiny.entries().get(0).imagesPerSecond()).isPositive();
    assertThat(tiny.entries().get(2).imagesPerSecond()).isPositive();
    assertThat(tiny.overFp32(Precision.FP32)).isEqualTo(1.0);
    assertThat(tiny.entries().get(1).unavailable()).contains("bf16 is not available");
    assertThat(tiny.overFp32(Precision.BF16)).isNaN();
    assertThat(result.report())
        .contains("rotnet-tiny-cpu, batch 16 x 32 px, 2 round(s) of 1 timed steps")
        .contains("fp16")
        .contains("x fp32");
  }
}
