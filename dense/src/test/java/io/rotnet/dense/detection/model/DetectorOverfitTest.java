package io.rotnet.dense.detection.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.dense.detection.ops.Boxes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each tiny detector, trained with the real losses, sampler and SGD schedule on one synthetic
 * image, overfits it within 50 iterations: the loss falls and every object is found again.
 */
class DetectorOverfitTest {

  private static final int ITERATIONS = 50;

  @Test
  void tinyFasterRcnnC4OverfitsOneImage() {
    overfit(DetectionPresets.tinyC4());
  }

  @Test
  void tinyMaskRcnnFpnOverfitsOneImage() {
    overfit(DetectionPresets.tinyFpn());
  }

  private static void overfit(DetectorConfig config) {
    Engine.getInstance().setRandomSeed(7);
    DetectionBatch batch = SyntheticBoxes.batch(1, 128, 128, 7);
    try (NDManager manager = NDManager.newBaseManager();
        DetectionTrainer trainer = new DetectionTrainer(Detector.of(config), manager, 7)) {
      Map<String, Float> first = trainer.step(batch);
      Map<String, Float> last = first;
      for (int i = 1; i < ITERATIONS; i++) {
        last = trainer.step(batch);
        if (i % 10 == 0) {
          System.out.println(config.name() + " " + i + " " + last);
        }
      }
      System.out.println(config.name() + " first " + first + " last " + last);
      assertThat(last.get("loss")).isLessThan(first.get("loss") * 0.5f);
      Detections d = trainer.detect(batch).get(0);
      DetectionBatch.Image image = batch.images().get(0);
      int found = 0;
      for (int g = 0; g < image.labels().length; g++) {
        int match = -1;
        for (int k = 0; k < d.size() && match < 0; k++) {
          if (d.labels()[k] == image.labels()[g] && Boxes.iou(d.boxes(), k, image.boxes(), g) >= 0.5f) {
            match = k;
          }
        }
        if (match >= 0) {
          found++;
          if (d.masks() != null) {
            assertThat(maskIou(d.masks().get(match), image.masks().get(g)))
                .as("mask IoU of object %d", g)
                .isGreaterThan(0.5);
          }
        }
      }
      System.out.println(config.name() + " found " + found + " of " + image.labels().length);
      assertThat(found).as("objects found again").isGreaterThanOrEqualTo(image.labels().length - 1);
      assertThat(d.size()).isLessThanOrEqualTo(config.test().maxPerImage());
    }
  }

  private static double maskIou(float[] a, float[] b) {
    int inter = 0;
    int union = 0;
    for (int i = 0; i < a.length; i++) {
      boolean x = a[i] > 0;
      boolean y = b[i] > 0;
      inter += x && y ? 1 : 0;
      union += x || y ? 1 : 0;
    }
    return union == 0 ? 0 : (double) inter / union;
  }
}
