package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real DJL training of a small RotNet model: memory stays flat and the loss goes down. */
class TrainingMemoryTest {

  private static final ModelSpec SPEC = new ModelSpec(18, 8, 32, 4);
  private static final int BATCH = 8;
  private static final int STEPS = 50;
  private static final int WARM_UP = 5;

  @Test
  void fiftyStepsKeepNativeMemoryBoundedAndLearn() throws IOException {
    Engine.getInstance().setRandomSeed(5);
    Random random = new Random(5);
    float[] images = new float[BATCH * 3 * 32 * 32];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) random.nextGaussian();
    }
    float[] labels = new float[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = i % 4;
    }

    RotNetModel block = RotNetModel.create(SPEC);
    try (Model model = Model.newInstance("rotnet-memory-test")) {
      model.setBlock(block);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.sgd()
                      .setLearningRateTracker(Tracker.fixed(0.05f))
                      .optMomentum(0.9f)
                      .build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(SPEC.inputShape(BATCH));
        NDManager root = model.getNDManager();
        float firstLoss = Float.NaN;
        float lastLoss = Float.NaN;
        int arraysAfterWarmUp = -1;
        long rssAfterWarmUp = -1;
        for (int step = 1; step <= STEPS; step++) {
          try (NDManager stepManager = root.newSubManager()) {
            NDArray x = stepManager.create(images, SPEC.inputShape(BATCH));
            NDArray y = stepManager.create(labels);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList logits = trainer.forward(new NDList(x));
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), logits);
              collector.backward(loss);
              lastLoss = loss.getFloat();
            }
            trainer.step();
          }
          if (step == 1) {
            firstLoss = lastLoss;
          }
          if (step == WARM_UP) {
            arraysAfterWarmUp = root.getManagedArrays().size();
            rssAfterWarmUp = residentBytes();
          }
        }

        // every per-step array died with its sub-manager: only parameters, gradients and
        // optimizer state remain, as after the warm-up steps
        assertThat(root.getManagedArrays()).hasSize(arraysAfterWarmUp);
        long growth = residentBytes() - rssAfterWarmUp;
        assertThat(growth).as("RSS growth over %d steps", STEPS - WARM_UP).isLessThan(64L << 20);
        assertThat(lastLoss).as("loss after %d steps (first %s)", STEPS, firstLoss)
            .isLessThan(firstLoss * 0.5f);
      }
    }
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
