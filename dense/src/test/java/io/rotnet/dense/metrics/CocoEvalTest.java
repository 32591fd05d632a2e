package io.rotnet.dense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CocoEvalTest {

  private static CocoEval.Annotation gt(long id, long image, double[] box, boolean crowd) {
    return new CocoEval.Annotation(id, image, 1, box, box[2] * box[3], crowd, null);
  }

  private static CocoEval.Detection det(long image, double[] box, double score) {
    return new CocoEval.Detection(image, 1, box, score, null);
  }

  private static CocoEval.Stats eval(List<CocoEval.Annotation> gts, List<CocoEval.Detection> dts, long... images) {
    return new CocoEval(CocoEval.IouType.BBOX).evaluate(gts, dts, images, new int[] {1});
  }

  @Test
  void oneDetectionAtIou062PassesThreeOfTheTenThresholds() {
    // GT 0..100 x 0..100, det 0..100 x 0..62: IoU 0.62 -> thresholds 0.5, 0.55, 0.6
    CocoEval.Stats s = eval(List.of(gt(1, 1, new double[] {0, 0, 100, 100}, false)),
        List.of(det(1, new double[] {0, 0, 100, 62}, 0.9)), 1);
    assertThat(s.get(0)).isCloseTo(0.3, within(1e-12));
    assertThat(s.get(1)).isCloseTo(1.0, within(1e-12)); // pycocotools: tp / (tp + fp + eps)
    assertThat(s.get(2)).isZero();
    assertThat(s.get(5)).isCloseTo(0.3, within(1e-12)); // large (area 10^4 > 96^2)
    assertThat(s.get(3)).isEqualTo(-1.0); // no small ground truth: -1
  }

  @Test
  void aCrowdRegionAbsorbsSeveralDetectionsWithoutFalsePositives() {
    List<CocoEval.Annotation> gts = List.of(gt(1, 1, new double[] {0, 0, 10, 10}, false),
        gt(2, 1, new double[] {50, 50, 40, 40}, true));
    List<CocoEval.Detection> dts = new ArrayList<>();
    dts.add(det(1, new double[] {0, 0, 10, 10}, 0.5));
    for (int i = 0; i < 4; i++) {
      dts.add(det(1, new double[] {52 + i * 5, 52, 10, 10}, 0.9)); // inside the crowd: IoU = inter / det area = 1
    }
    assertThat(eval(gts, dts, 1).get(0)).isCloseTo(1.0, within(1e-12)); // pycocotools: tp / (tp + fp + eps)
    // the same detections without the crowd are false positives ranked first
    assertThat(eval(gts.subList(0, 1), dts, 1).get(0)).isLessThan(0.5);
  }

  @Test
  void maxDetsTruncatesPerImageAndTheOracleScoresOne() {
    List<CocoEval.Annotation> gts = new ArrayList<>();
    List<CocoEval.Detection> dts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double[] box = {i * 20, 0, 15, 15};
      gts.add(gt(i + 1, 1, box, false));
      dts.add(det(1, box, 1.0 - i / 100.0));
    }
    CocoEval.Stats s = eval(gts, dts, 1, 2);
    assertThat(s.get(0)).isCloseTo(1.0, within(1e-12)); // pycocotools: tp / (tp + fp + eps)
    assertThat(s.get(6)).isCloseTo(1 / 12.0, within(1e-12)); // AR@1
    assertThat(s.get(7)).isCloseTo(10 / 12.0, within(1e-12)); // AR@10
    assertThat(s.get(8)).isCloseTo(1.0, within(1e-12)); // pycocotools: tp / (tp + fp + eps)
  }
}
