package io.rotnet.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.app.bench.fidelity.CifarFidelity;
import io.rotnet.app.bench.fidelity.FidelitySettings;
import io.rotnet.app.bench.fidelity.FidelityTable;
import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fidelity run at test size on 500 CIFAR-10 photos (src/test/resources/cifar10-subset, made by
 * its make_subset.py): producer (cifar view) -> embedded Kafka -> trainer (the CPU preset at an
 * eighth of the reference widths, batch 16 x 4, 3 epochs of 200 images) -> checkpoint event ->
 * rotation accuracy and per-block linear classifiers for the checkpoint and its random
 * initialisation. The pretext task is
 * learnt: rotation accuracy on the held-out test photos rises well above chance (25%) and above
 * the random initialisation's.
 */
class FidelityBenchTest {

  @TempDir Path work;

  @Test
  @Timeout(400)
  void pretextAccuracyRisesAboveChanceOnCifarPhotos() throws Exception {
    Path data = Path.of(FidelityBenchTest.class.getResource("/cifar10-subset/train").toURI()).getParent();
    TrainingPreset preset = FidelityBenchCommand.Cifar10.withEpochs(
        TrainingPresets.CIFAR_NIN4_CPU.derive("rotnet-cifar-nin4-test", "nin4-w24")
            .batchSize(64).replicaBatchSize(64).learningRate(0.1, 64).build(), 3);
    assertThat(preset.decayEpochs()).containsExactly(1, 2); // 2/5/6 of 8 at the same fractions, rounded
    FidelitySettings settings = new FidelitySettings(data, work, preset, 200, 50, 100, 1,
        List.of(BlockProtocol.Head.LINEAR), 100, 0);
    StringWriter log = new StringWriter();
    PrintWriter both = new PrintWriter(new java.io.Writer() {
      @Override
      public void write(char[] buffer, int offset, int length) {
        log.write(buffer, offset, length);
        System.out.print(new String(buffer, offset, length));
      }

      @Override
      public void flush() {
        System.out.flush();
      }

      @Override
      public void close() {}
    });

    FidelityTable table = new CifarFidelity(settings, both).run();

    assertThat(log.toString()).contains("checkpoint event: fidelity/step-").contains("verified");
    assertThat(table.pretrained().rotationAccuracy()).as(log.toString()).isGreaterThan(30);
    assertThat(table.pretrained().rotationAccuracy()).isGreaterThan(table.random().rotationAccuracy() + 5);
    assertThat(table.pretrained().scores()).hasSize(4); // 4 blocks x the linear classifier
    String md = table.markdown();
    assertThat(md).contains("| block1").contains("| block4").contains("Rotation accuracy on the test images");
    for (var score : table.pretrained().scores()) {
      assertThat(score.testTop1()).isBetween(0.0, 100.0);
    }
  }
}
