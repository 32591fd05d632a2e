package io.rotnet.app.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code rotnet local} runs: where, on which images, how long the trainer trains, and which
 * benchmarks evaluate each checkpoint.
 *
 * @param runDir where checkpoints, the broker's data, logs and results are left
 * @param images image folder, IDX file or list file the producer reads
 * @param dataset evaluation dataset as {@code [NAME=]FORMAT:PATH}
 * @param preset training preset of the trainer
 * @param maxSteps training steps of the run
 * @param checkpointEvery steps between checkpoints (one more is written at the end)
 * @param benchmarks benchmarks evaluated on every checkpoint
 * @param maxTrain evaluation train images used (0 = all)
 * @param maxTest evaluation test images used (0 = all)
 * @param seed seed of the producer's shuffles and augmentations
 * @param evaluationTimeout how long to wait for the last results once training is done
 */
public record LocalSettings(
    Path runDir,
    Path images,
    String dataset,
    String preset,
    long maxSteps,
    int checkpointEvery,
    List<String> benchmarks,
    int maxTrain,
    int maxTest,
    long seed,
    Duration evaluationTimeout) {

  public LocalSettings {
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(preset, "preset");
    benchmarks = List.copyOf(benchmarks);
    if (maxSteps < 1) {
      throw new IllegalArgumentException("max steps must be at least 1");
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1 step");
    }
    if (benchmarks.isEmpty()) {
      throw new IllegalArgumentException("at least one benchmark is needed");
    }
  }

  public Path checkpointDir() {
    return runDir.resolve("checkpoints");
  }

  public Path kafkaDir() {
    return runDir.resolve("kafka");
  }

  public Path featureCacheDir() {
    return runDir.resolve("feature-cache");
  }

  /** Where the streamed linear benchmarks save their progress. */
  public Path evaluatorStateDir() {
    return runDir.resolve("evaluator-state");
  }

  public Path logFile() {
    return runDir.resolve("rotnet.log");
  }

  /** Checkpoints the run will write: every {@code checkpointEvery} steps and one at the end. */
  public long expectedCheckpoints() {
    return maxSteps / checkpointEvery + (maxSteps % checkpointEvery == 0 ? 0 : 1);
  }
}
