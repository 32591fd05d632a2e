package io.rotnet.dense.detection.data;

import io.rotnet.dense.data.RgbPlanes;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detections;
import io.rotnet.dense.detection.model.DetectorConfig;
import java.util.List;

/**
 * A test image as mmdet's test pipeline sees it: resized (keep ratio) to the test short side
 * bounded by the long side, padded; detections map back to the original pixels by the resize's
 * per-axis factors ({@code rescale=True}).
 */
record TestView(DetectionPipeline.Resized resized, int padDivisor) {

  static TestView of(RgbPlanes image, DetectorConfig config) {
    return new TestView(DetectionPipeline.resize(image.rgb(), image.width(), image.height(), new float[0],
        config.data().testShortSide(), config.data().maxLongSide(), false), config.data().padDivisor());
  }

  Detections detect(DetectionTrainer trainer) {
    return trainer.detect(DetectionPipeline.batch(List.of(resized), List.of(new int[0]), null, padDivisor)).get(0);
  }

  /** Detection {@code k}'s box (x1, y1, x2, y2) in the original image's pixels. */
  float[] originalBox(Detections d, int k) {
    float[] b = d.boxes();
    return new float[] {b[4 * k] / resized.scaleX(), b[4 * k + 1] / resized.scaleY(),
        b[4 * k + 2] / resized.scaleX(), b[4 * k + 3] / resized.scaleY()};
  }
}
