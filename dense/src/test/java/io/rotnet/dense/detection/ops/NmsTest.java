package io.rotnet.dense.detection.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NmsTest {

  @Test
  void greedyNmsMatchesBruteForceAndStopsAtTheKeepLimit() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      int n = 150;
      float[] boxes = randomBoxes(random, n);
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextFloat();
      }
      int[] all = Nms.nms(boxes, scores, 0.5f, -1);
      assertThat(all).containsExactly(bruteForce(boxes, scores, null, 0.5f));
      assertThat(Nms.nms(boxes, scores, 0.5f, 7)).containsExactly(java.util.Arrays.copyOf(all, 7));
    }
  }

  @Test
  void batchedNmsNeverSuppressesAcrossGroups() {
    Random random = new Random(12);
    int n = 200;
    float[] boxes = randomBoxes(random, n);
    float[] scores = new float[n];
    int[] groups = new int[n];
    for (int i = 0; i < n; i++) {
      scores[i] = random.nextFloat();
      groups[i] = random.nextInt(4);
    }
    assertThat(Nms.batched(boxes, scores, groups, 0.3f, -1))
        .containsExactly(bruteForce(boxes, scores, groups, 0.3f));
  }

  @Test
  void suppressionNeedsAnIouStrictlyAboveTheThreshold() {
    // the lower box is half of the upper one: IoU exactly 0.5
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 5};
    float[] scores = {0.9f, 0.8f};
    assertThat(Boxes.iou(boxes, 0, boxes, 1)).isEqualTo(0.5f);
    assertThat(Nms.nms(boxes, scores, 0.5f, -1)).containsExactly(0, 1);
    assertThat(Nms.nms(boxes, scores, 0.49f, -1)).containsExactly(0);
  }

  /** Reference: repeatedly take the best remaining box, drop everything it overlaps. */
  private static int[] bruteForce(float[] boxes, float[] scores, int[] groups, float thr) {
    int n = scores.length;
    boolean[] alive = new boolean[n];
    java.util.Arrays.fill(alive, true);
    List<Integer> kept = new ArrayList<>();
    while (true) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (alive[i] && (best < 0 || scores[i] > scores[best])) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      kept.add(best);
      alive[best] = false;
      for (int j = 0; j < n; j++) {
        boolean sameGroup = groups == null || groups[j] == groups[best];
        if (alive[j] && sameGroup && Boxes.iou(boxes, best, boxes, j) > thr) {
          alive[j] = false;
        }
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  static float[] randomBoxes(Random random, int n) {
    float[] boxes = new float[4 * n];
    for (int i = 0; i < n; i++) {
      float x = random.nextFloat() * 100;
      float y = random.nextFloat() * 100;
      boxes[4 * i] = x;
      boxes[4 * i + 1] = y;
      boxes[4 * i + 2] = x + 5 + random.nextFloat() * 40;
      boxes[4 * i + 3] = y + 5 + random.nextFloat() * 40;
    }
    return boxes;
  }
}
