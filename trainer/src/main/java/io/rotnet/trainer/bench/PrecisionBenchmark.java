package io.rotnet.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.trainer.StepResult;
import io.rotnet.trainer.TrainingPreset;
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

  private final BenchPlan plan;
  private final Device device;
  private final PrintWriter log;

  private PrecisionBenchmark(Builder builder) {
    this.plan = builder.plan;
    this.device = plan.device();
    this.log = builder.log;
  }

  public static Builder builder() {
    return new Builder();
  }

  public PrecisionBenchResult run() throws Exception {
    List<PrecisionComparison> comparisons = new ArrayList<>();
    TrainingPreset preset = plan.preset();
    comparisons.add(compare(preset.name(), preset, plan.steps(), plan.rounds(), plan.warmUpSteps()));
    if (plan.resnet50Steps() > 0) {
      comparisons.add(
          compare("resnet50", plan.resnet50(), plan.resnet50Steps(), plan.resnet50Rounds(), 1));
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
    private BenchPlan plan = BenchPlan.precisions();
    private PrintWriter log;

    private Builder() {}

    /** Presets, steps and rounds; default {@link BenchPlan#precisions()}. */
    public Builder optPlan(BenchPlan plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /** Where progress lines go; default none. */
    public Builder optLog(PrintWriter log) {
      this.log = log;
      return this;
    }

    public PrecisionBenchmark build() {
      return new PrecisionBenchmark(this);
    }
  }
}
