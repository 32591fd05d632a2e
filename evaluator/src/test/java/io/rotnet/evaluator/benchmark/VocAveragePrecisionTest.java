package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rotnet.evaluator.benchmark.VocAveragePrecision.Method;
import org.junit.jupiter.api.Test;

class VocAveragePrecisionTest {

  // ranking P N P N P: precision 1, 1/2, 2/3, 2/4, 3/5 at recall 1/3, 1/3, 2/3, 2/3, 1
  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.5};
  private static final boolean[] LABELS = {true, false, true, false, true};

  @Test
  void allPointsApOfAKnownRanking() {
    // envelope: 1 up to recall 1/3, 2/3 up to 2/3, 3/5 up to 1
    double expected = (1.0 + 2.0 / 3 + 3.0 / 5) / 3;
    assertThat(VocAveragePrecision.of(SCORES, LABELS)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void elevenPointApOfAKnownRanking() {
    // thresholds 0..0.3 -> 1, 0.4..0.6 -> 2/3, 0.7..1.0 -> 3/5
    double expected = (4 * 1.0 + 3 * 2.0 / 3 + 4 * 3.0 / 5) / 11;
    assertThat(VocAveragePrecision.of(SCORES, LABELS, Method.ELEVEN_POINT))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void interpolationLiftsEarlyPrecisionButStepwiseDoesNot() {
    double[] scores = {3, 2, 1};
    boolean[] labels = {false, true, true};
    // precision 0, 1/2, 2/3 at recall 0, 1/2, 1
    assertThat(VocAveragePrecision.of(scores, labels, Method.ALL_POINTS)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(VocAveragePrecision.of(scores, labels, Method.ELEVEN_POINT)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(VocAveragePrecision.of(scores, labels, Method.STEPWISE))
        .isCloseTo(0.5 * 0.5 + 0.5 * 2.0 / 3, within(1e-12));
  }

  @Test
  void inputOrderDoesNotMatterAndTiesFormOneThreshold() {
    double[] shuffledScores = {0.6, 0.9, 0.5, 0.8, 0.7};
    boolean[] shuffledLabels = {false, true, true, false, true};
    assertThat(VocAveragePrecision.of(shuffledScores, shuffledLabels))
        .isEqualTo(VocAveragePrecision.of(SCORES, LABELS));

    double[] tied = {1, 1};
    assertThat(VocAveragePrecision.of(tied, new boolean[] {true, false})).isCloseTo(0.5, within(1e-12));
    assertThat(VocAveragePrecision.of(tied, new boolean[] {false, true})).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void perfectRankingScoresOneAndNoPositivesScoresZero() {
    assertThat(VocAveragePrecision.of(new double[] {3, 2, 1}, new boolean[] {true, true, false}))
        .isEqualTo(1.0);
    assertThat(VocAveragePrecision.of(new double[] {3, 2, 1}, new boolean[] {false, false, false}))
        .isEqualTo(0.0);
  }
}
