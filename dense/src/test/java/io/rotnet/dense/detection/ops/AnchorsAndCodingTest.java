package io.rotnet.dense.detection.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Anchors, box coding, IoU and FPN levels against mmdet's formulas (fixture) and hand values. */
class AnchorsAndCodingTest {

  @Test
  void stride16Scale8Ratio1AnchorAtTheOriginIsPlusMinus64() {
    AnchorGenerator c4 = new AnchorGenerator(16, new float[] {2, 4, 8, 16, 32}, new float[] {0.5f, 1, 2});
    assertThat(c4.perLocation()).isEqualTo(15);
    float[] base = c4.baseAnchors();
    int ratio1Scale8 = 1 * 5 + 2; // ratio-major, then scale
    assertThat(java.util.Arrays.copyOfRange(base, 4 * ratio1Scale8, 4 * ratio1Scale8 + 4))
        .containsExactly(-64f, -64f, 64f, 64f);
  }

  @Test
  void gridAnchorsMatchMmdet() {
    for (String name : new String[] {"anchors_c4", "anchors_p3"}) {
      JsonObject f = Fixtures.load(name);
      AnchorGenerator g =
          new AnchorGenerator(f.get("stride").getAsInt(), Fixtures.floats(f, "scales"), Fixtures.floats(f, "ratios"));
      float[] anchors = g.gridAnchors(f.get("height").getAsInt(), f.get("width").getAsInt());
      assertThat(anchors).containsExactly(Fixtures.floats(f, "anchors"), within(1e-4f));
    }
  }

  @Test
  void borderAnchorsAreExcludedOnlyWhenAllowedBorderIsSet() {
    AnchorGenerator g = new AnchorGenerator(16, new float[] {2}, new float[] {1});
    // a 64 x 48 image padded to 64 x 64 on a 5 x 5 map: anchors are 32 px squares at i * 16
    boolean[] strict = g.trainable(5, 5, 64, 64, 48, 64, 0);
    boolean[] all = g.trainable(5, 5, 64, 64, 48, 64, -1);
    // (row 1, col 1): [0, 0, 32, 32] inside; (0, 0): [-16, -16, 16, 16] crosses
    assertThat(strict[1 * 5 + 1]).isTrue();
    assertThat(strict[0]).isFalse();
    // (row 2, col 1): y2 = 48 is not < 48, so it crosses the unpadded bottom
    assertThat(strict[2 * 5 + 1]).isFalse();
    assertThat(all[0]).isTrue();
    // cells beyond ceil(pad / stride) = 4 are padding of the batch
    assertThat(all[4 * 5 + 1]).isFalse();
  }

  @Test
  void deltaCodingMatchesMmdetAndRoundTrips() {
    JsonObject f = Fixtures.load("coder");
    DeltaXywhCoder coder = new DeltaXywhCoder(Fixtures.floats(f, "stds"));
    float[] refs = Fixtures.floats(f, "references");
    float[] targets = Fixtures.floats(f, "targets");
    float[] encoded = coder.encode(refs, targets);
    assertThat(encoded).containsExactly(Fixtures.floats(f, "encoded"), within(1e-5f));
    assertThat(coder.decode(refs, encoded, 0, 0)).containsExactly(targets, within(1e-3f));
    float[] deltas = Fixtures.floats(f, "deltas");
    assertThat(coder.decode(refs, deltas, f.get("image_height").getAsInt(), f.get("image_width").getAsInt()))
        .containsExactly(Fixtures.floats(f, "decoded"), within(1e-3f));
    assertThat(coder.decode(refs, deltas, 0, 0))
        .containsExactly(Fixtures.floats(f, "decoded_unclipped"), within(1e-2f));
  }

  @Test
  void hugeSizeDeltasAreClampedToTheRatioClip() {
    DeltaXywhCoder coder = new DeltaXywhCoder(new float[] {1, 1, 1, 1});
    float[] box = coder.decode(new float[] {0, 0, 10, 10}, new float[] {0, 0, 100, -100}, 0, 0);
    double clip = Math.abs(Math.log(16.0 / 1000.0));
    assertThat((double) (box[2] - box[0])).isCloseTo(10 * Math.exp(clip), within(1e-2));
    assertThat((double) (box[3] - box[1])).isCloseTo(10 * Math.exp(-clip), within(1e-4));
  }

  @Test
  void iouMatrixHandCases() {
    float[] a = {0, 0, 10, 10, 20, 20, 30, 30};
    float[] b = {5, 0, 15, 10, 0, 0, 10, 10, 100, 100, 101, 101};
    float[] m = Boxes.iouMatrix(a, b);
    assertThat(m).containsExactly(new float[] {50f / 150, 1f, 0f, 0f, 0f, 0f}, within(1e-6f));
  }

  @Test
  void roiLevelsFollowTheCanonicalScale() {
    // scale 56 -> level 0 (log2(2) = 1 ... floor(log2(1 + 1e-6)) = 0), 112 -> 1, 224 -> 2, 448 -> 3, 1000 -> 3
    float[] rois = {0, 0, 55, 55, 0, 0, 112, 112, 0, 0, 224, 224, 0, 0, 448, 448, 0, 0, 1000, 1000, 0, 0, 4, 4};
    assertThat(RoiLevels.map(rois, 4)).containsExactly(0, 1, 2, 3, 3, 0);
    // 111 x 111 stays on level 0
    assertThat(RoiLevels.map(new float[] {0, 0, 111, 111}, 4)).containsExactly(0);
  }

  @Test
  void assignerHandCases() {
    float[] gts = {0, 0, 10, 10, 50, 50, 70, 70};
    float[] boxes = {
      0, 0, 10, 10, // IoU 1 with gt0 -> pos 1
      0, 0, 10, 5, // IoU 0.5 with gt0 -> ignored at 0.7 / 0.3
      200, 200, 210, 210, // no overlap -> negative
      50, 50, 60, 60, // IoU 0.25 with gt1: gt1's best -> low-quality positive
      60, 60, 70, 70, // IoU 0.25 with gt1 too: tied best -> also positive (assign all)
    };
    MaxIouAssigner rpn = new MaxIouAssigner(0.7f, 0.3f, 0.2f, true);
    assertThat(rpn.assign(boxes, gts).gtIndex()).containsExactly(1, -1, 0, 2, 2);
    MaxIouAssigner noLowQuality = new MaxIouAssigner(0.7f, 0.3f, 0.2f, false);
    assertThat(noLowQuality.assign(boxes, gts).gtIndex()).containsExactly(1, -1, 0, 0, 0);
    // min_pos_iou above the GT's best IoU: no low-quality match
    assertThat(new MaxIouAssigner(0.7f, 0.3f, 0.3f, true).assign(boxes, gts).gtIndex())
        .containsExactly(1, -1, 0, 0, 0);
    assertThat(rpn.assign(boxes, new float[0]).gtIndex()).containsOnly(0);
  }

  @Test
  void samplerCapsPositivesFillsWithNegativesAndIsSeeded() {
    int[] assigned = new int[100];
    for (int i = 0; i < 100; i++) {
      assigned[i] = i < 10 ? 1 + i % 3 : i < 20 ? -1 : 0;
    }
    RandomSampler sampler = new RandomSampler(16, 0.25f);
    RandomSampler.Sample s = sampler.sample(assigned, new Random(1));
    assertThat(s.positives()).hasSize(4).doesNotHaveDuplicates();
    assertThat(s.negatives()).hasSize(12).doesNotHaveDuplicates();
    assertThat(java.util.Arrays.stream(s.positives()).map(i -> assigned[i])).allMatch(a -> a > 0);
    assertThat(java.util.Arrays.stream(s.negatives()).map(i -> assigned[i])).allMatch(a -> a == 0);
    assertThat(sampler.sample(assigned, new Random(1)).positives()).containsExactly(s.positives());
    // too few positives: negatives fill the batch
    int[] onePositive = new int[100];
    onePositive[5] = 1;
    RandomSampler.Sample t = sampler.sample(onePositive, new Random(2));
    assertThat(t.positives()).containsExactly(5);
    assertThat(t.negatives()).hasSize(15);
  }
}
