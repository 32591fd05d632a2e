package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lowshot-svm} benchmark against scikit-learn on the golden fixture (see {@link
 * SvmGolden}), trained on the same draws: the fixture's sample files, written in the layout of
 * the reference's {@code create_voc_low_shot_challenge_samples.py}, with (classes - 1) x k
 * negatives.
 */
class LowShotSvmGoldenTest {
  private static final double TOLERANCE = 1e-3;

  @Test
  void meansAndChosenCostsMatchScikitLearnOnTheReferenceDraws() throws IOException {
    SvmGolden golden = SvmGolden.load();
    int[] ks = SvmGolden.ints(golden.reference.get("ks"));
    SvmSettings voc07 = SvmSettings.voc07();
    LowShotSamples samples = LowShotSamples.read(golden.lowShotDir(), golden.trainIds(), golden.classes);
    // as many epochs as the converged scikit-learn run allowed itself
    LowShotSvmBenchmark lowShot = LowShotSvmBenchmark.builder()
        .optShots(ks).optSamples(golden.reference.get("samples").asInt()).optThreads(2)
        .optReferenceSamples(samples)
        .optSettings(new SvmSettings(voc07.positiveWeight(), voc07.negativeWeight(), voc07.tolerance(),
            golden.reference.get("convergedMaxIter").asInt(), voc07.bias()))
        .build();
    for (String tap : SvmGolden.TAPS) {
      LowShotResult ours = lowShot.evaluateTap(golden.tap(tap), golden.train, golden.test);
      assertThat(ours.unconvergedFits()).as(tap + " fits that hit the epoch limit").isZero();
      JsonNode converged = golden.reference.get("lowShotConverged").get(tap);
      JsonNode reference = golden.reference.get("lowShot").get(tap);
      for (int i = 0; i < ks.length; i++) {
        LowShotResult.ShotScore shot = ours.shots().get(i);
        JsonNode sklearn = converged.get(i);
        String where = tap + " k=" + ks[i];
        assertThat(shot.k()).isEqualTo(ks[i]);
        assertThat(shot.cost()).as(where + " cost").isEqualTo(sklearn.get("cost").asDouble());
        assertThat(shot.mean()).as(where + " mean").isCloseTo(sklearn.get("mean").asDouble(), within(TOLERANCE));
        assertThat(shot.min()).as(where + " min").isCloseTo(sklearn.get("min").asDouble(), within(TOLERANCE));
        assertThat(shot.max()).as(where + " max").isCloseTo(sklearn.get("max").asDouble(), within(TOLERANCE));
        assertThat(shot.std()).as(where + " std").isCloseTo(sklearn.get("std").asDouble(), within(TOLERANCE));
        assertThat(shot.sampleMaps()).as(where + " per sample")
            .containsExactly(SvmGolden.doubles(sklearn.get("sampleMaps")), within(TOLERANCE));
        // the max_iter=2000 run: equal too, unless liblinear stopped early on some of its fits
        JsonNode limited = reference.get(i);
        if (limited.get("unconverged").asInt() == 0) {
          assertThat(shot.mean()).as(where + " mean (max_iter 2000)")
              .isCloseTo(limited.get("mean").asDouble(), within(TOLERANCE));
          assertThat(shot.cost()).as(where + " cost (max_iter 2000)").isEqualTo(limited.get("cost").asDouble());
        }
      }
    }
  }

  @Test
  void aSampleFileThatNamesAnUnknownImageIsRefused(@TempDir Path dir) throws IOException {
    SvmGolden golden = SvmGolden.load();
    Files.writeString(dir.resolve("train_targets_sample1_k1.json"), "{\"nobody_0000\": {\"airplane\": 1}}");
    assertThatThrownBy(() -> LowShotSamples.read(dir, golden.trainIds(), golden.classes))
        .isInstanceOf(IOException.class).hasMessageContaining("nobody_0000");
  }

  @Test
  void aMissingSampleIsNamedBeforeAnyTraining() throws IOException {
    SvmGolden golden = SvmGolden.load();
    LowShotSvmBenchmark lowShot = LowShotSvmBenchmark.builder().optShots(1, 2).optSamples(5)
        .optReferenceSamples(LowShotSamples.read(golden.lowShotDir(), golden.trainIds(), golden.classes))
        .build();
    assertThatThrownBy(() -> lowShot.evaluateTap(golden.tap("feature5"), golden.train, golden.test))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample1_k2.json");
  }
}
