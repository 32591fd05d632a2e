package io.rotnet.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.bench.SerdeBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The benchmark runs end to end and reports both paths; its figures are not judged here. */
@ExtendWith(EmbeddedStackExtension.class)
class SerdeBenchmarkTest {

  @Test
  void measuresBothPathsOnTheSameValueSize(EmbeddedStack stack) {
    SerdeBenchmark.Result result =
        new SerdeBenchmark(stack, new SerdeBenchmark.Settings(1024, 20, 2)).run();

    assertThat(result.avroRounds()).hasSize(2);
    assertThat(result.rawRounds()).hasSize(2);
    assertThat(result.valueBytes()).isGreaterThan(1024);
    assertThat(result.avroMBps()).isPositive();
    assertThat(result.rawMBps()).isPositive();
    assertThat(result.lines()).anySatisfy(line -> assertThat(line).startsWith("ratio avro/raw"));
  }
}
