package io.rotnet.app;

import ai.djl.Device;
import io.rotnet.app.options.ServiceOptions;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.RotNetTrainer;
import io.rotnet.trainer.TrainerSettings;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.TrainingSummary;
import io.rotnet.trainer.precision.Precision;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Pretrains ResNet on rotation prediction from the image topic, writing checkpoints. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrains ResNet on rotation prediction from the image topic, writing checkpoints.",
      "Resumes the run from its newest valid checkpoint (weights, optimizer, step, offsets).",
      "Every checkpoint is announced on rotnet.checkpoints; metrics go to rotnet.metrics.",
      "SIGTERM or Ctrl-C finishes the current step, writes and announces a checkpoint, and exits."
    })
public final class TrainCommand implements Callable<Integer> {

  /** How long a stop request may take (one step plus a checkpoint) before the JVM goes anyway. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(300);

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(
      names = "--preset",
      defaultValue = "rotnet-resnet50-steplr-70e",
      description =
          "Training preset: rotnet-resnet50-steplr-70e or rotnet-tiny-cpu (default:"
              + " ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--topic",
      defaultValue = "rotnet.images",
      description = "Image topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--run-id",
      required = true,
      paramLabel = "ID",
      description =
          "Run name: checkpoint folder <checkpoint-dir>/<ID>, consumer group rotnet-trainer-<ID>.")
  String runId;

  @Option(
      names = "--checkpoint-dir",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint root.")
  Path checkpointDir;

  @Option(
      names = "--max-steps",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Stop at step N in total, resumed steps included; 0 = when the preset's epochs are done"
              + " (default).")
  long maxSteps;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Steps between checkpoints; epoch ends are always checkpointed (default:"
              + " ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--keep-last",
      paramLabel = "K",
      description = "Checkpoints kept besides milestones (default: the preset's).")
  Integer keepLast;

  @Option(
      names = "--keep-every-epochs",
      paramLabel = "M",
      description = "Keep the epoch-end checkpoint of every M-th epoch (default: the preset's).")
  Integer keepEveryEpochs;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description =
          "Rotated images per step, a multiple of 4; the learning rate scales with it (default: the"
              + " preset's).")
  Integer batchSize;

  @Option(
      names = "--replica-batch-size",
      paramLabel = "R",
      description =
          "Rotated images normalized together by batch norm, as on one GPU of the reference; a"
              + " step runs in parts of this size and accumulates their gradients (default: the"
              + " preset's; 64 for rotnet-resnet50-steplr-70e).")
  Integer replicaBatchSize;

  @Option(
      names = "--input-size",
      paramLabel = "PX",
      description = "Crop side the records must have (default: the preset's).")
  Integer inputSize;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs to train (default: the preset's).")
  Integer epochs;

  @Option(
      names = "--base-lr",
      paramLabel = "LR",
      description = "Learning rate per 512 rotated images before scaling (default: the preset's).")
  Double baseLearningRate;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the initial weights (default: the preset's).")
  Long seed;

  @Option(
      names = "--precision",
      paramLabel = "P",
      converter = PrecisionConverter.class,
      description =
          "Number type of the convolutions and the linear layer: fp32, bf16 or fp16 (loss-scaled);"
              + " weights, optimizer and checkpoints stay fp32. fp16 is for GPUs (it runs, slowly,"
              + " on a CPU); bf16 is refused by this engine (default: the preset's, fp32).")
  Precision precision;

  @Option(
      names = "--metrics-every",
      defaultValue = "20",
      paramLabel = "N",
      description = "Steps between metrics records and progress lines (default: ${DEFAULT-VALUE}).")
  int metricsEvery;

  @Option(
      names = "--devices",
      split = ",",
      paramLabel = "DEV",
      description =
          "Devices, e.g. cpu or gpu0,gpu1; the batch is split over them (default: every GPU, else"
              + " the CPU).")
  List<String> devices;

  @Option(
      names = "--prefetch",
      defaultValue = "2",
      paramLabel = "N",
      description = "Host batches prepared ahead of the training step (default: ${DEFAULT-VALUE}).")
  int prefetch;

  @Option(
      names = "--max-group-span",
      defaultValue = "256",
      paramLabel = "RECORDS",
      description =
          "Records within which the four views of a crop must arrive (default: ${DEFAULT-VALUE}).")
  int maxGroupSpan;

  @Override
  public Integer call() throws Exception {
    TrainerSettings.Builder builder =
        TrainerSettings.builder()
            .setRunId(runId)
            .setCheckpointRoot(checkpointDir)
            .setPreset(preset())
            .setKafka(
                new KafkaSettings(
                    service.bootstrapServers, service.schemaRegistryUrl, "rotnet-trainer-" + runId))
            .optTopic(topic)
            .optMaxSteps(maxSteps)
            .optCheckpointEvery(checkpointEvery)
            .optMetricsEvery(metricsEvery)
            .optPrefetchDepth(prefetch)
            .optMaxGroupSpan(maxGroupSpan);
    if (devices != null && !devices.isEmpty()) {
      List<Device> chosen = new ArrayList<>();
      for (String name : devices) {
        chosen.add(Device.fromName(name.trim()));
      }
      builder.optDevices(chosen);
    }
    RotNetTrainer trainer = new RotNetTrainer(builder.build());
    // The summary is printed before the signal hook lets the JVM exit.
    try (StopOnSignal signal = StopOnSignal.install("rotnet-train", trainer::requestStop, STOP_GRACE)) {
      TrainingSummary summary = trainer.run();
      spec.commandLine()
          .getOut()
          .printf(
              "run %s stopped (%s) at step %d, epoch %.3f, %d images trained on, %d records"
                  + " refused, %d steps skipped; last checkpoint %s%n",
              summary.runId(),
              summary.stopReason(),
              summary.steps(),
              summary.epochProgress(),
              summary.imagesSeen(),
              summary.recordsRefused(),
              summary.skippedSteps(),
              summary.lastCheckpoint().orElse("none"));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** The chosen preset with the overrides given on the command line or in the config file. */
  TrainingPreset preset() {
    TrainingPreset.Builder chosen = TrainingPresets.require(preset).toBuilder();
    if (batchSize != null) {
      chosen.batchSize(batchSize);
    }
    if (replicaBatchSize != null) {
      chosen.replicaBatchSize(replicaBatchSize);
    }
    if (inputSize != null) {
      chosen.inputSize(inputSize);
    }
    if (epochs != null) {
      chosen.epochs(epochs);
    }
    if (baseLearningRate != null) {
      chosen.baseLearningRate(baseLearningRate);
    }
    if (keepLast != null) {
      chosen.keepLast(keepLast);
    }
    if (keepEveryEpochs != null) {
      chosen.keepEveryEpochs(keepEveryEpochs);
    }
    if (seed != null) {
      chosen.seed(seed);
    }
    if (precision != null) {
      chosen.precision(precision);
    }
    return chosen.build();
  }

  /** Accepts fp32, bf16 and fp16 in any case. */
  static final class PrecisionConverter implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      return Precision.parse(value);
    }
  }
}
