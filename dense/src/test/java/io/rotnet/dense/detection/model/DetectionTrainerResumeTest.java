package io.rotnet.dense.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A training run stopped after two iterations and continued from its parameters, momentum
 * buffers and iteration takes the same third and fourth steps as the run that never stopped.
 */
class DetectionTrainerResumeTest {

  @Test
  void aResumedRunRepeatsTheUninterruptedSteps() throws IOException, MalformedModelException {
    DetectorConfig config = DetectionPresets.tinyC4();
    DetectionBatch batch = SyntheticBoxes.batch(1, 96, 96, 3);
    float[] straight = new float[4];
    byte[] parameters;
    Map<String, float[]> momentum;
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      Detector detector = Detector.of(config);
      try (DetectionTrainer trainer = new DetectionTrainer(detector, manager, 11)) {
        for (int i = 0; i < 2; i++) {
          straight[i] = trainer.step(batch).get("loss");
        }
        parameters = save(detector);
        momentum = trainer.momentumState();
        for (int i = 2; i < 4; i++) {
          straight[i] = trainer.step(batch).get("loss");
        }
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(99); // a different initialisation, replaced by the state
      Detector detector = Detector.of(config);
      try (DetectionTrainer trainer = new DetectionTrainer(detector, manager, 11)) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
          detector.block().loadParameters(manager, in);
        }
        detector.block().getParameters().forEach(p -> {
          if (p.getValue().requiresGradient()) {
            p.getValue().getArray().setRequiresGradient(true);
          }
        });
        trainer.resume(2, momentum);
        assertThat(trainer.iteration()).isEqualTo(2);
        for (int i = 2; i < 4; i++) {
          assertThat(trainer.step(batch).get("loss")).isCloseTo(straight[i], within(1e-3f * Math.abs(straight[i])));
        }
      }
    }
  }

  private static byte[] save(Detector detector) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      detector.block().saveParameters(out);
    }
    return bytes.toByteArray();
  }
}
