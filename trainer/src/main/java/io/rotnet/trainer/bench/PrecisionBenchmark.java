package io.rotnet.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.trainer.StepResult;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.precision.Precision;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code rotnet bench trainer --compare-precisions}: the same training step in fp32, bf16 and
 * fp16, fed from in-memory batches and timed in alternating blocks of one process, for a small
 * preset and for ResNet-50 at a small input. A precision the engine cannot run is reported with
 * its reason.
 */
public final class PrecisionBenchmark {

  private final TrainingPreset preset;
  private final int steps;
  private final int rounds;
  private final int warmUpSteps;
  private final int resnet50Steps;
  private final int resnet50Rounds;
  private final int resnet50InputSize;
  private final int resnet50BatchSize;
  private final Device device;
  private final PrintWriter log;

  private PrecisionBenchmark(Builder builder) {
    this.preset = builder.preset;
    this.steps = builder.steps;
    this.rounds = builder.rounds;
    this.warmUpSteps = builder.warmUpSteps;
    this.resnet50Steps = builder.resnet50Steps;
    this.resnet50Rounds = builder.resnet50Rounds;
    this.resnet50InputSize = builder.resnet50InputSize;
    this.resnet50BatchSize = builder.resnet50BatchSize;
    this.device = builder.device;
    this.log = builder.log;
  }

  public static Builder builder() {
    return new Builder();
  }

  public PrecisionBenchResult run() throws Exception {
    List<PrecisionComparison> comparisons = new ArrayList<>();
    comparisons.add(compare(preset.name(), preset, steps, rounds, warmUpSteps));
    if (resnet50Steps > 0) {
      TrainingPreset resnet50 =
          TrainingPresets.RESNET50_STEPLR_70E.toBuilder()
              .inputSize(resnet50InputSize)
              .batchSize(resnet50BatchSize)
              .build();
      comparisons.add(compare("resnet50", resnet50, resnet50Steps, resnet50Rounds, 1));
    }
    return new PrecisionBenchResult(
        device.toString(), Runtime.getRuntime().availableProcessors(), comparisons);
  }

  /** Trains the preset in every runnable precision, in alternating blocks after a warm-up. */
  private PrecisionComparison compare(
      String label, TrainingPreset trained, int timedSteps, int blocks, int warmUp)
      throws Exception {
    List<HostBatch> batches =
        BenchScenes.hostBatches(
            BenchScenes.groups(
                2 * trained.groupsPerBatch(), trained.inputSize(), PixelEncoding.RAW_RGB8, 1),
            trained);
    Map<Precision, String> unavailable = new LinkedHashMap<>();
    Map<Precision, BenchTrainee> trainees = new LinkedHashMap<>();
    Map<Precision, long[]> nanosAndSkips = new LinkedHashMap<>();
    try {
      for (Precision precision : Precision.values()) {
        try {
          precision.requireSupportedBy(Engine.getInstance());
        } catch (IllegalArgumentException e) {
          unavailable.put(precision, e.getMessage());
          say("%s: %s", label, e.getMessage());
          continue;
        }
        BenchTrainee trainee =
            new BenchTrainee(trained.toBuilder().precision(precision).build(), device);
        trainees.put(precision, trainee);
        nanosAndSkips.put(precision, new long[2]);
        for (int i = 0; i < warmUp; i++) {
          trainee.step(batches.get(i % batches.size()), false);
        }
      }
      List<Precision> order = new ArrayList<>(trainees.keySet());
      int next = 0;
      for (int block = 0; block < blocks; block++) {
        for (Precision precision : order) {
          long[] totals = nanosAndSkips.get(precision);
          BenchTrainee trainee = trainees.get(precision);
          long start = System.nanoTime();
          for (int i = 0; i < timedSteps; i++) {
            StepResult result = trainee.step(batches.get(next++ % batches.size()), false);
            if (result.skipped()) {
              totals[1]++;
            }
          }
          totals[0] += System.nanoTime() - start;
          say(
              "%s round %d: %s %.1f img/s (cumulative)",
              label,
              block + 1,
              precision.label(),
              imagesPerSecond(totals[0], block + 1, timedSteps, trained));
        }
        // Rotate which precision goes first, so a load that drifts favours none of them.
        order.add(order.remove(0));
      }
    } finally {
      for (BenchTrainee trainee : trainees.values()) {
        trainee.close();
      }
    }
    List<PrecisionComparison.Entry> entries = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      long[] totals = nanosAndSkips.get(precision);
      entries.add(
          totals == null
              ? new PrecisionComparison.Entry(precision, Double.NaN, 0, unavailable.get(precision))
              : new PrecisionComparison.Entry(
                  precision,
                  imagesPerSecond(totals[0], blocks, timedSteps, trained),
                  totals[1],
                  null));
    }
    return new PrecisionComparison(
        label, trained.batchSize(), trained.inputSize(), timedSteps, blocks, entries);
  }

  private static double imagesPerSecond(
      long nanos, int blocks, int timedSteps, TrainingPreset trained) {
    return (double) blocks * timedSteps * trained.batchSize() / (nanos / 1e9);
  }

  private void say(String format, Object... args) {
    if (log != null) {
      log.printf(format + "%n", args);
      log.flush();
    }
  }

  /** Settings: everything has a default. */
  public static final class Builder {
    private TrainingPreset preset = TrainingPresets.TINY_CPU;
    private int steps = 10;
    private int rounds = 3;
    private int warmUpSteps = 5;
    private int resnet50Steps = 2;
    private int resnet50Rounds = 2;
    private int resnet50InputSize = 64;
    private int resnet50BatchSize = 32;
    private Device device = Device.cpu();
    private PrintWriter log;

    private Builder() {}

    /** The small preset compared; default {@code rotnet-tiny-cpu}. */
    public Builder optPreset(TrainingPreset preset) {
      this.preset = Objects.requireNonNull(preset, "preset");
      return this;
    }

    /** Timed steps per precision and round; default 10. */
    public Builder optSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Rounds of one block per precision; default 3. */
    public Builder optRounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    /** Untimed steps per precision before the rounds; default 5. */
    public Builder optWarmUpSteps(int steps) {
      this.warmUpSteps = steps;
      return this;
    }

    /** Timed ResNet-50 steps per precision and round; 0 skips it. Default 2 (fp16 is slow). */
    public Builder optResnet50Steps(int steps) {
      this.resnet50Steps = steps;
      return this;
    }

    /** Rounds of the ResNet-50 comparison; default 2. */
    public Builder optResnet50Rounds(int rounds) {
      this.resnet50Rounds = rounds;
      return this;
    }

    public Builder optResnet50Input(int size, int batch) {
      this.resnet50InputSize = size;
      this.resnet50BatchSize = batch;
      return this;
    }

    public Builder optDevice(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** Where progress lines go; default none. */
    public Builder optLog(PrintWriter log) {
      this.log = log;
      return this;
    }

    public PrecisionBenchmark build() {
      if (steps < 1 || rounds < 1 || warmUpSteps < 0 || resnet50Steps < 0 || resnet50Rounds < 1) {
        throw new IllegalArgumentException("steps and rounds must be positive, warm-up >= 0");
      }
      return new PrecisionBenchmark(this);
    }
  }
}
