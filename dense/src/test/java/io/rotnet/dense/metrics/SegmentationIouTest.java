package io.rotnet.dense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SegmentationIouTest {

  @Test
  void handComputedToyMapsWithIgnoredPixelsAndAnAbsentClass() {
    SegmentationIou iou = new SegmentationIou(4, 255);
    int[] label = {0, 0, 1, 1, 1, 255, 255, 2, 2};
    int[] pred = {0, 1, 1, 1, 0, 2, 0, 2, 1};
    iou.add(pred, label);
    SegmentationIou.Result r = iou.result();
    // class 0: inter 1, pred 2, label 2 -> 1/3; class 1: inter 2, pred 4, label 3 -> 2/5;
    // class 2: inter 1, pred 1, label 2 -> 1/2; class 3 absent from both -> NaN, skipped
    assertThat(r.classIou()[0]).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.classIou()[1]).isCloseTo(0.4, within(1e-12));
    assertThat(r.classIou()[2]).isCloseTo(0.5, within(1e-12));
    assertThat(r.classIou()[3]).isNaN();
    assertThat(r.meanIou()).isCloseTo((1 / 3.0 + 0.4 + 0.5) / 3, within(1e-12));
    assertThat(r.pixelAccuracy()).isCloseTo(4 / 7.0, within(1e-12));
  }

  @Test
  void countsAreSummedOverImagesNotAveragedPerImage() {
    SegmentationIou iou = new SegmentationIou(2, 255);
    iou.add(new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1});
    iou.add(new int[] {0, 0}, new int[] {1, 1});
    // class 1: inter 4, union 6 (per-image mean would be (1 + 0) / 2); class 0: inter 0, union 2 -> 0
    assertThat(iou.result().classIou()[1]).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(iou.result().classIou()[0]).isZero();
    SegmentationIou other = new SegmentationIou(2, 255);
    other.add(new int[] {0}, new int[] {0});
    iou.addAll(other);
    assertThat(iou.result().classIou()[0]).isCloseTo(1 / 3.0, within(1e-12));
  }

  @Test
  void theOracleScoresOne() {
    SegmentationIou iou = new SegmentationIou(21, 255);
    java.util.Random random = new java.util.Random(3);
    for (int img = 0; img < 4; img++) {
      int[] label = new int[64];
      for (int i = 0; i < label.length; i++) {
        label[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(21);
      }
      iou.add(label.clone(), label);
    }
    assertThat(iou.result().meanIou()).isEqualTo(1.0);
    assertThat(iou.result().pixelAccuracy()).isEqualTo(1.0);
  }
}
