package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.trainer.checkpoint.RunCheckpoints;
import io.rotnet.trainer.checkpoint.TrainerState;
import io.rotnet.trainer.precision.LossScaling;
import io.rotnet.trainer.precision.Precision;
import io.rotnet.trainer.testing.ImageTopic;
import io.rotnet.trainer.testing.TopicReader;
import io.rotnet.trainer.testing.TrainerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that crashes after a checkpoint and is restarted trains on exactly the samples, in exactly
 * the order, of a run that never stopped, and ends with bit-identical weights; in fp16 too, with
 * the loss scaler resuming where it was.
 */
@ExtendWith(EmbeddedStackExtension.class)
class TrainerResumeTest {

  private static final String TOPIC = "resume.images";
  private static final int DATASET = 24; // 6 steps of 4 crops per epoch
  private static final long STEPS = 10;
  private static final TrainingPreset PRESET =
      TrainingPresets.TINY_CPU.toBuilder().batchSize(16).build();

  @TempDir static Path checkpoints;

  @BeforeAll
  static void produce(EmbeddedStack stack) {
    TrainerFixtures.createTopics(stack, TOPIC, 1);
    try (ImageTopic images = new ImageTopic(stack, TOPIC)) {
      images.sendEpochs("img", DATASET, 2, PRESET.inputSize(), 42);
    }
  }

  private RotNetTrainer trainer(EmbeddedStack stack, String runId, List<List<String>> trained) {
    return trainer(stack, runId, trained, PRESET);
  }

  private RotNetTrainer trainer(
      EmbeddedStack stack, String runId, List<List<String>> trained, TrainingPreset preset) {
    TrainerSettings settings =
        TrainerFixtures.settings(stack, TOPIC, checkpoints, runId, preset)
            .optMaxSteps(STEPS)
            .optCheckpointEvery(4)
            .optMetricsEvery(5)
            // fp16 only: a scale this high overflows at once, and it grows back after two clean
            // steps, so the scaler skips, halves and doubles both before and after the crash.
            .optLossScaling(new LossScaling(0x1p20f, 2))
            .build();
    return new RotNetTrainer(settings).addObserver(report -> trained.add(report.sampleIds()));
  }

  @Test
  @Timeout(180)
  void crashAndResumeReplaysTheUninterruptedRun(EmbeddedStack stack) throws Exception {
    List<List<String>> straight = new ArrayList<>();
    TrainingSummary reference = trainer(stack, "straight", straight).run();
    assertThat(reference.steps()).isEqualTo(STEPS);
    assertThat(reference.stopReason()).isEqualTo(TrainingSummary.StopReason.MAX_STEPS);

    // Crash at step 6: after the checkpoint of step 4, before the epoch-end checkpoint of step 6.
    List<List<String>> beforeCrash = new ArrayList<>();
    RotNetTrainer crashing =
        trainer(stack, "crashy", beforeCrash)
            .addObserver(
                report -> {
                  if (report.step() == 6) {
                    throw new IllegalStateException("simulated crash");
                  }
                });
    assertThatThrownBy(crashing::run).hasMessageContaining("simulated crash");
    assertThat(stepsOnDisk("crashy")).containsExactly(4L);

    List<List<String>> afterRestart = new ArrayList<>();
    TrainingSummary resumed = trainer(stack, "crashy", afterRestart).run();
    assertThat(resumed.steps()).isEqualTo(STEPS);
    assertThat(afterRestart).hasSize((int) STEPS - 4);

    List<List<String>> replayed = new ArrayList<>(beforeCrash.subList(0, 4));
    replayed.addAll(afterRestart);
    assertThat(replayed).isEqualTo(straight);
    assertThat(straight.stream().flatMap(List::stream).distinct().count()).isEqualTo(STEPS * 4);

    for (String file : List.of(CheckpointLayout.PARAMETERS_FILE, RunCheckpoints.MOMENTUM_FILE)) {
      assertThat(Files.readAllBytes(stepDir("crashy", STEPS).resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(stepDir("straight", STEPS).resolve(file)));
    }

    List<CheckpointEvent> events =
        TopicReader.read(stack, Topics.CHECKPOINTS, event -> event.getRunId().equals("crashy"), 4);
    assertThat(events).extracting(CheckpointEvent::getStep).containsExactly(4L, 6L, 8L, 10L);
    CheckpointEvent atFour = events.get(0);
    assertThat(atFour.getCheckpointId()).isEqualTo("crashy-step-4");
    assertThat(atFour.getUri()).isEqualTo("crashy/step-4");
    assertThat(atFour.getImagesSeen()).isEqualTo(4 * 16);
    assertThat(atFour.getConsumedOffsets())
        .singleElement()
        .satisfies(offset -> assertThat(offset.getOffset()).isEqualTo(4 * 16));
    assertThat(atFour.getArchitecture()).isEqualTo(PRESET.modelSpec().architecture());
    assertThat(events.get(1).getEpoch()).isEqualTo(1); // the epoch-end checkpoint of step 6
    // step 4 comes before the first metrics report (step 5): it carries that step's loss
    assertThat(events).allSatisfy(event -> assertThat(event.getPretextLoss()).isFinite());
  }

  @Test
  @Timeout(180)
  void fp16CrashAndResumeKeepsTheLossScalerExact(EmbeddedStack stack) throws Exception {
    TrainingPreset half = PRESET.toBuilder().precision(Precision.FP16).build();
    List<List<String>> straight = new ArrayList<>();
    TrainingSummary reference = trainer(stack, "straight-fp16", straight, half).run();
    assertThat(reference.steps()).isEqualTo(STEPS);

    RotNetTrainer crashing =
        trainer(stack, "crashy-fp16", new ArrayList<>(), half)
            .addObserver(
                report -> {
                  if (report.step() == 6) {
                    throw new IllegalStateException("simulated crash");
                  }
                });
    assertThatThrownBy(crashing::run).hasMessageContaining("simulated crash");
    TrainerState atCrash = state("crashy-fp16", 4);
    assertThat(atCrash.precision()).isEqualTo(Precision.FP16);
    assertThat(atCrash.lossScaler().orElseThrow().skippedSteps()).isPositive();

    TrainingSummary resumed = trainer(stack, "crashy-fp16", new ArrayList<>(), half).run();
    assertThat(resumed.steps()).isEqualTo(STEPS);
    assertThat(resumed.skippedSteps())
        .isEqualTo(reference.skippedSteps())
        .isGreaterThan(atCrash.lossScaler().orElseThrow().skippedSteps());
    assertThat(state("crashy-fp16", STEPS).lossScaler())
        .isEqualTo(state("straight-fp16", STEPS).lossScaler());
    for (String file : List.of(CheckpointLayout.PARAMETERS_FILE, RunCheckpoints.MOMENTUM_FILE)) {
      assertThat(Files.readAllBytes(stepDir("crashy-fp16", STEPS).resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(stepDir("straight-fp16", STEPS).resolve(file)));
    }
  }

  private static TrainerState state(String runId, long step) throws Exception {
    Path file = stepDir(runId, step).resolve(TrainerState.FILE);
    return TrainerState.fromBytes(Files.readAllBytes(file));
  }

  private static Path stepDir(String runId, long step) {
    return checkpoints.resolve(runId).resolve(CheckpointLayout.stepDirectoryName(step));
  }

  private static List<Long> stepsOnDisk(String runId) throws Exception {
    try (var dirs = Files.list(checkpoints.resolve(runId))) {
      return dirs.map(CheckpointLayout::stepOf)
          .filter(s -> s.isPresent())
          .map(s -> s.getAsLong())
          .sorted()
          .toList();
    }
  }
}
