package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.trainer.input.ImageNormalization;
import io.rotnet.trainer.input.PixelDecoder;
import io.rotnet.trainer.testing.ImageTopic;
import io.rotnet.trainer.testing.Scenes;
import io.rotnet.trainer.testing.TopicReader;
import io.rotnet.trainer.testing.TrainerFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tiny preset learns to tell rotations of held-out scenes apart, trained from Kafka. */
@ExtendWith(EmbeddedStackExtension.class)
class TrainerLearnsTest {

  private static final String TOPIC = "learn.images";
  private static final int DATASET = 320; // 20 steps of 16 crops per epoch
  private static final int EPOCHS = 2;
  // The tiny recipe on a two-epoch budget: half an epoch of warm-up, decay for the last epoch.
  // (Training batches are fitted within ten steps, but BatchNorm's running statistics, which the
  // held-out evaluation uses, take about thirty to settle.)
  private static final TrainingPreset PRESET =
      TrainingPresets.TINY_CPU.toBuilder()
          .epochs(EPOCHS)
          .warmupEpochs(0.5)
          .decayEpochs(List.of(1))
          .build();

  @TempDir Path checkpoints;

  @Test
  @Timeout(180)
  void reachesNinetyPercentRotationAccuracyOnHeldOutScenes(EmbeddedStack stack) throws Exception {
    TrainerFixtures.createTopics(stack, TOPIC, 1);
    try (ImageTopic images = new ImageTopic(stack, TOPIC)) {
      images.sendEpochs("scene", DATASET, EPOCHS, PRESET.inputSize(), 7);
    }
    TrainerSettings settings =
        TrainerFixtures.settings(stack, TOPIC, checkpoints, "learn", PRESET)
            .optCheckpointEvery(1000)
            .optMetricsEvery(4)
            .build();
    TrainingSummary summary = new RotNetTrainer(settings).run();
    assertThat(summary.stopReason()).isEqualTo(TrainingSummary.StopReason.EPOCHS_DONE);
    assertThat(summary.steps()).isEqualTo(EPOCHS * DATASET / PRESET.groupsPerBatch());

    double accuracy = heldOutAccuracy(summary.lastCheckpoint().orElseThrow(), 64);
    assertThat(accuracy).isGreaterThan(0.9);

    List<TrainingMetrics> metrics =
        TopicReader.read(stack, Topics.METRICS, m -> m.getRunId().equals("learn"), 10);
    assertThat(metrics.get(metrics.size() - 1).getRotationAccuracy())
        .isGreaterThan(metrics.get(0).getRotationAccuracy());
    List<CheckpointEvent> events =
        TopicReader.read(stack, Topics.CHECKPOINTS, e -> e.getRunId().equals("learn"), EPOCHS);
    assertThat(events).extracting(CheckpointEvent::getEpoch).containsExactly(1, 2);
  }

  /** Rotation accuracy of the checkpoint on scenes it never saw, all four views of each. */
  private double heldOutAccuracy(String location, int scenes) throws Exception {
    int size = PRESET.inputSize();
    PixelDecoder decoder = new PixelDecoder(size, ImageNormalization.IMAGENET);
    float[] pixels = new float[scenes * 4 * decoder.floatsPerImage()];
    Random random = new Random(123_456);
    for (int s = 0; s < scenes; s++) {
      List<RotatedImage> views =
          Scenes.group("held-out" + s, 0, s, scenes, Scenes.scene(random, size), size);
      for (int r = 0; r < 4; r++) {
        decoder.decodeInto(views.get(r), pixels, (4 * s + r) * decoder.floatsPerImage());
      }
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      LoadedCheckpoint loaded =
          new CheckpointReader(checkpoints).load(location, PRESET.modelSpec(), null, manager);
      NDArray images = manager.create(pixels, new Shape(scenes * 4L, 3, size, size));
      NDArray logits = loaded.model().logits(new ParameterStore(manager, false), images, false);
      long[] predicted = logits.argMax(1).toLongArray();
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == i % 4) {
          correct++;
        }
      }
      return (double) correct / predicted.length;
    }
  }
}
