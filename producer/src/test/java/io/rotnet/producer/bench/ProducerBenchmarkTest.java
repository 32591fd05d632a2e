package io.rotnet.producer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.producer.source.ImageSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on a real broker and reports every phase; figures are not judged. */
@ExtendWith(EmbeddedStackExtension.class)
class ProducerBenchmarkTest {

  @Test
  void measuresEveryPhaseOnTheSameImages(EmbeddedStack stack, @TempDir Path dir) throws Exception {
    ProducerBenchResult result =
        ProducerBenchmark.builder()
            .setSource(ImageSources.open(BenchImages.generate(dir, 8, 64, 48, 3)))
            .setBootstrapServers(stack.bootstrapServers())
            .setSchemaRegistryUrl(stack.schemaRegistryUrl())
            .optSize(32)
            .optRounds(2)
            .build()
            .run();

    // one thread: one run per round, summed; two threads: one run
    assertThat(result.decodeOnly()).extracting(Measurement::images).containsExactly(16L, 8L);
    assertThat(result.fullPath()).extracting(Measurement::images).containsExactly(16L, 8L);
    assertThat(result.fullPath()).hasSize(2).allSatisfy(run -> assertThat(run.imagesPerOwnCpuSecond()).isPositive());
    assertThat(result.sendOnly().images()).isEqualTo(16);
    // A crop region never costs more pixels than the whole image, and every thread did some work.
    assertThat(result.regionDecodeMillis()).isPositive();
    assertThat(result.fullPathSplit().workerMillis()).isPositive();
    assertThat(result.fullPathSplit().senderMillis()).isPositive();
    assertThat(result.transportPerDecode()).isPositive();
    assertThat(result.ratioPerCore()).isPositive();
    assertThat(result.report())
        .contains("decode only", "full path (acknowledged)", "send only (records prepared)", "Transport alone");
  }
}
