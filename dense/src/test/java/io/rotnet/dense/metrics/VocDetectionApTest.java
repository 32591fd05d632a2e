package io.rotnet.dense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rotnet.dense.metrics.VocDetectionAp.Detection;
import io.rotnet.dense.metrics.VocDetectionAp.GroundTruth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocDetectionApTest {

  private static GroundTruth gt(float x, float y, float w, float h) {
    return new GroundTruth(0, x, y, x + w - 1, y + h - 1, false);
  }

  private static Detection det(GroundTruth g, float score) {
    return new Detection(g.label(), g.x1(), g.y1(), g.x2(), g.y2(), score);
  }

  @Test
  void tpFpTpOnTwoGroundTruthsGivesTheHandComputedElevenPointAp() {
    VocDetectionAp ap = new VocDetectionAp(1);
    GroundTruth a = gt(0, 0, 10, 10);
    GroundTruth b = gt(50, 50, 10, 10);
    ap.addImage(List.of(det(a, 0.9f), new Detection(0, 100, 100, 110, 110, 0.8f), det(b, 0.7f)), List.of(a, b));
    // recall 0.5 at precision 1 (thresholds 0..0.5: 6 points), recall 1 at 2/3 (0.6..1.0: 5 points)
    assertThat(ap.result().meanAp()).isCloseTo((6 + 5 * (2 / 3.0)) / 11, within(1e-6));
  }

  @Test
  void aRecallOfExactlyThreeTenthsDoesNotReachTheFourthThreshold() {
    VocDetectionAp ap = new VocDetectionAp(1);
    List<GroundTruth> gts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      gts.add(gt(i * 20, 0, 10, 10));
    }
    ap.addImage(List.of(det(gts.get(0), 0.9f), det(gts.get(1), 0.8f), det(gts.get(2), 0.7f)), gts);
    // thresholds 0, 0.1, 0.2 reached (0.30000000000000004 is not): 3/11
    assertThat(ap.result().meanAp()).isCloseTo(3 / 11.0, within(1e-7));
  }

  @Test
  void duplicatesAreFalsePositivesAndDetectionsOnDifficultBoxesAreIgnored() {
    VocDetectionAp ap = new VocDetectionAp(1);
    GroundTruth a = gt(0, 0, 10, 10);
    GroundTruth hard = new GroundTruth(0, 40, 40, 49, 49, true);
    ap.addImage(List.of(det(a, 0.9f), new Detection(0, 40, 40, 49, 49, 0.85f), det(a, 0.8f)), List.of(a, hard));
    // ranks: TP (p 1, r 1), ignored, FP (p 1/2): max precision at every recall threshold is 1
    assertThat(ap.result().meanAp()).isCloseTo(1.0, within(1e-7));
    assertThat(ap.result().gtCounts()[0]).isEqualTo(1);

    VocDetectionAp dupFirst = new VocDetectionAp(1);
    GroundTruth b = gt(30, 0, 10, 10);
    dupFirst.addImage(List.of(det(a, 0.9f), det(a, 0.8f), det(b, 0.7f)), List.of(a, b));
    assertThat(dupFirst.result().meanAp()).isCloseTo((6 + 5 * (2 / 3.0)) / 11, within(1e-6));
  }

  @Test
  void iouOfExactlyOneHalfCountsWithTheLegacyPixel() {
    // GT [0,0,9,9] (area 100 with +1); det [0,0,9,4]: overlap 50, union 100 -> 0.5, a TP (>=)
    GroundTruth a = new GroundTruth(0, 0, 0, 9, 9, false);
    Detection half = new Detection(0, 0, 0, 9, 4, 1f);
    assertThat(VocDetectionAp.legacyIou(half, a)).isEqualTo(0.5f);
    VocDetectionAp ap = new VocDetectionAp(1);
    ap.addImage(List.of(half), List.of(a));
    assertThat(ap.result().meanAp()).isEqualTo(1.0);
    // without the +1 the same boxes would overlap 9*4 / (9*9): 0.44, a miss; one row less is a miss here too
    Detection lower = new Detection(0, 0, 0, 9, 3, 1f);
    assertThat(VocDetectionAp.legacyIou(lower, a)).isEqualTo(0.4f);
    VocDetectionAp miss = new VocDetectionAp(1);
    miss.addImage(List.of(lower), List.of(a));
    assertThat(miss.result().meanAp()).isZero();
  }

  @Test
  void classesWithoutGroundTruthAreLeftOutOfTheMeanAndOracleGivesOne() {
    VocDetectionAp ap = new VocDetectionAp(3);
    GroundTruth a = gt(0, 0, 10, 10);
    GroundTruth c = new GroundTruth(2, 20, 20, 39, 29, false);
    ap.addImage(List.of(det(a, 0.5f), det(c, 0.5f), new Detection(1, 0, 0, 5, 5, 0.9f)), List.of(a, c));
    ap.addImage(List.of(), List.of(gt(5, 5, 3, 3)));
    VocDetectionAp.Result result = ap.result();
    assertThat(result.classAp()[1]).isNaN();
    assertThat(result.classAp()[2]).isEqualTo(1.0);
    // class 0: one of two found at precision 1: thresholds 0..0.5 -> 6/11
    assertThat(result.classAp()[0]).isCloseTo(6 / 11.0, within(1e-7));
    assertThat(result.meanAp()).isCloseTo((6 / 11.0 + 1) / 2, within(1e-6));

    VocDetectionAp oracle = new VocDetectionAp(2);
    for (int img = 0; img < 5; img++) {
      List<GroundTruth> gts = List.of(gt(img, img, 8, 8), new GroundTruth(1, 30, 30, 40 + img, 44, false));
      float score = 0.3f + img / 10f;
      oracle.addImage(gts.stream().map(g -> det(g, score)).toList(), gts);
    }
    assertThat(oracle.result().meanAp()).isEqualTo(1.0);
  }
}
