package io.rotnet.dense.detection.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each tiny detector, trained with the real losses, sampler and SGD schedule on one synthetic
 * image, overfits it within 50 iterations (the total loss at most half the first one), and its
 * inference path runs end to end on the result.
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
      }
      assertThat(last.get("loss")).isLessThan(first.get("loss") * 0.5f);
      // inference runs end to end and honours the test-time settings
      Detections d = trainer.detect(batch).get(0);
      DetectionBatch.Image image = batch.images().get(0);
      assertThat(d.size()).isLessThanOrEqualTo(config.test().maxPerImage());
      for (int k = 0; k < d.size(); k++) {
        assertThat(d.scores()[k]).isGreaterThan(config.test().scoreThreshold());
        assertThat(d.labels()[k]).isBetween(0, config.numClasses() - 1);
        assertThat(d.boxes()[4 * k]).isBetween(0f, (float) image.width());
        assertThat(d.boxes()[4 * k + 3]).isBetween(0f, (float) image.height());
      }
      if (config.rcnn().withMask()) {
        assertThat(d.maskProbabilities()).hasSize(d.size());
        for (int k = 0; k < d.size(); k++) {
          float[] mask = d.mask(k, image.height(), image.width(), 1, 1, config.test().maskThreshold());
          assertThat(mask).hasSize(image.height() * image.width());
          for (float v : mask) {
            assertThat(v).isIn(0f, 1f);
          }
        }
      }
    }
  }
}
