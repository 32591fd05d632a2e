package io.rotnet.trainer.bench;

import ai.djl.Device;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import java.util.Objects;

/**
 * How a trainer benchmark times training: a small preset, then ResNet-50 at a small input, each
 * compared in alternating rounds of timed steps after untimed warm-up steps, on one device.
 *
 * @param preset the small preset compared first
 * @param steps timed steps per contender and round
 * @param rounds rounds of one block per contender; alternating blocks even out a drifting load
 * @param warmUpSteps untimed steps per contender before the rounds
 * @param resnet50Steps timed ResNet-50 steps per contender and round; 0 skips ResNet-50
 * @param resnet50Rounds rounds of the ResNet-50 comparison
 * @param resnet50InputSize ResNet-50's input size in pixels
 * @param resnet50BatchSize ResNet-50's batch size
 * @param device where training runs
 * @param fusedUpdate whether the optimizer updates all parameters as one flat buffer (the
 *     trainer's default) or tensor by tensor, to measure what the flat buffer gains
 */
public record BenchPlan(
    TrainingPreset preset,
    int steps,
    int rounds,
    int warmUpSteps,
    int resnet50Steps,
    int resnet50Rounds,
    int resnet50InputSize,
    int resnet50BatchSize,
    Device device,
    boolean fusedUpdate) {

  public BenchPlan {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(device, "device");
    if (steps < 1 || rounds < 1 || warmUpSteps < 0 || resnet50Steps < 0 || resnet50Rounds < 1) {
      throw new IllegalArgumentException("steps and rounds must be positive, warm-up >= 0");
    }
    if (resnet50InputSize < 1 || resnet50BatchSize < 4 || resnet50BatchSize % 4 != 0) {
      throw new IllegalArgumentException(
          "ResNet-50 input must be positive and its batch a multiple of 4 (rotation groups)");
    }
  }

  /**
   * Kafka against memory: 20 timed steps per feed, long against the prefetch queue's head start,
   * 4 rounds after 20 warm-up steps; ResNet-50 at 64 px, batch 32, 6 steps in 3 rounds.
   */
  public static BenchPlan feeds() {
    return new BenchPlan(TrainingPresets.TINY_CPU, 20, 4, 20, 6, 3, 64, 32, Device.cpu(), true);
  }

  /** Precisions: fewer steps than {@link #feeds()}, as fp16 on a CPU is slow. */
  public static BenchPlan precisions() {
    return new BenchPlan(TrainingPresets.TINY_CPU, 10, 3, 5, 2, 2, 64, 32, Device.cpu(), true);
  }

  /** The ResNet-50 preset at this plan's input size and batch. */
  public TrainingPreset resnet50() {
    return TrainingPresets.RESNET50_STEPLR_70E.toBuilder()
        .inputSize(resnet50InputSize)
        .batchSize(resnet50BatchSize)
        .build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some fields of a plan; {@link #build()} validates. */
  public static final class Builder {
    private TrainingPreset preset;
    private int steps;
    private int rounds;
    private int warmUpSteps;
    private int resnet50Steps;
    private int resnet50Rounds;
    private int resnet50InputSize;
    private int resnet50BatchSize;
    private Device device;
    private boolean fusedUpdate;

    private Builder(BenchPlan plan) {
      preset = plan.preset;
      steps = plan.steps;
      rounds = plan.rounds;
      warmUpSteps = plan.warmUpSteps;
      resnet50Steps = plan.resnet50Steps;
      resnet50Rounds = plan.resnet50Rounds;
      resnet50InputSize = plan.resnet50InputSize;
      resnet50BatchSize = plan.resnet50BatchSize;
      device = plan.device;
      fusedUpdate = plan.fusedUpdate;
    }

    public Builder preset(TrainingPreset value) {
      preset = value;
      return this;
    }

    public Builder steps(int value) {
      steps = value;
      return this;
    }

    public Builder rounds(int value) {
      rounds = value;
      return this;
    }

    public Builder warmUpSteps(int value) {
      warmUpSteps = value;
      return this;
    }

    public Builder resnet50(int timedSteps, int timedRounds) {
      resnet50Steps = timedSteps;
      resnet50Rounds = timedRounds;
      return this;
    }

    public Builder resnet50Input(int size, int batch) {
      resnet50InputSize = size;
      resnet50BatchSize = batch;
      return this;
    }

    public Builder device(Device value) {
      device = value;
      return this;
    }

    public Builder fusedUpdate(boolean value) {
      fusedUpdate = value;
      return this;
    }

    public BenchPlan build() {
      return new BenchPlan(
          preset,
          steps,
          rounds,
          warmUpSteps,
          resnet50Steps,
          resnet50Rounds,
          resnet50InputSize,
          resnet50BatchSize,
          device,
          fusedUpdate);
    }
  }
}
