package io.rotnet.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rotnet.schemas.Topics;
import io.rotnet.trainer.devices.EngineDevices;
import io.rotnet.trainer.precision.LossScaling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one trainer process needs, validated once.
 *
 * @param runId names the run: checkpoint directory, consumer group {@code rotnet-trainer-<run>}
 * @param topic image topic
 * @param checkpointRoot directory holding {@code <runId>/step-<n>} checkpoints
 * @param preset the recipe (with any overrides applied)
 * @param kafka broker and registry
 * @param maxSteps stop once this many steps (in total, resumed ones included) are done; 0 = no
 *     limit
 * @param checkpointEvery steps between checkpoints (epoch boundaries are always checkpointed)
 * @param metricsEvery steps between metrics records and progress lines
 * @param devices where the batch parts run; the first holds the parameters
 * @param prefetchDepth host batches kept ready ahead of the training step
 * @param maxGroupSpan records within which the four views of a crop must arrive
 * @param eventAckTimeout how long to wait for a checkpoint event's acknowledgement
 * @param lossScaling loss scaler settings of an fp16 preset (unused in other precisions)
 */
public record TrainerSettings(
    String runId,
    String topic,
    Path checkpointRoot,
    TrainingPreset preset,
    KafkaSettings kafka,
    long maxSteps,
    int checkpointEvery,
    int metricsEvery,
    List<Device> devices,
    int prefetchDepth,
    int maxGroupSpan,
    Duration eventAckTimeout,
    LossScaling lossScaling) {

  private static final Pattern SAFE_RUN_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  public TrainerSettings {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(checkpointRoot, "checkpointRoot");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(eventAckTimeout, "eventAckTimeout");
    Objects.requireNonNull(lossScaling, "lossScaling");
    devices = List.copyOf(devices);
    if (!SAFE_RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id must be 1-128 characters of [A-Za-z0-9._-] not starting with '.' or '-': "
              + runId);
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException("max steps must be >= 0 (0 = no limit), got " + maxSteps);
    }
    if (checkpointEvery <= 0 || metricsEvery <= 0 || prefetchDepth <= 0) {
      throw new IllegalArgumentException(
          "checkpoint interval, metrics interval and prefetch depth must be positive");
    }
    if (maxGroupSpan < 4) {
      throw new IllegalArgumentException("max group span must be at least 4, got " + maxGroupSpan);
    }
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("at least one device is required");
    }
    // Before anything starts: an unsupported type would otherwise fail inside the first step.
    preset.precision().requireSupportedBy(Engine.getInstance());
    // The step's own rule, checked before anything starts.
    TrainingStep.partsOf(preset.batchSize(), preset.partSize(), devices.size());
    // Before anything connects: a missing GPU would otherwise fail at the first array made on it.
    EngineDevices.current().requireAvailable(devices);
  }

  /** Consumer group of the run (offsets committed there for monitoring only). */
  public String consumerGroup() {
    return "rotnet-trainer-" + runId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: run id, checkpoint root, preset and Kafka settings are required. */
  public static final class Builder {
    private String runId;
    private String topic = Topics.IMAGES.name();
    private Path checkpointRoot;
    private TrainingPreset preset;
    private KafkaSettings kafka;
    private long maxSteps;
    private int checkpointEvery = 1000;
    private int metricsEvery = 20;
    private List<Device> devices;
    private int prefetchDepth = 2;
    private int maxGroupSpan = 256;
    private Duration eventAckTimeout = Duration.ofSeconds(30);
    private LossScaling lossScaling = LossScaling.defaults();

    private Builder() {}

    public Builder setRunId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder setCheckpointRoot(Path root) {
      this.checkpointRoot = root;
      return this;
    }

    public Builder setPreset(TrainingPreset preset) {
      this.preset = preset;
      return this;
    }

    public Builder setKafka(KafkaSettings kafka) {
      this.kafka = kafka;
      return this;
    }

    /** Image topic; default {@code rotnet.images}. */
    public Builder optTopic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Total steps after which to stop; default 0, no limit (the preset's epochs end the run). */
    public Builder optMaxSteps(long steps) {
      this.maxSteps = steps;
      return this;
    }

    /** Steps between checkpoints; default 1000. */
    public Builder optCheckpointEvery(int steps) {
      this.checkpointEvery = steps;
      return this;
    }

    /** Steps between metrics records and progress lines; default 20. */
    public Builder optMetricsEvery(int steps) {
      this.metricsEvery = steps;
      return this;
    }

    /** Devices to train on; default every GPU the engine can use, else the CPU. */
    public Builder optDevices(List<Device> devices) {
      this.devices = devices;
      return this;
    }

    /** Host batches prepared ahead; default 2. */
    public Builder optPrefetchDepth(int batches) {
      this.prefetchDepth = batches;
      return this;
    }

    /** Records of a partition within which a crop's four views must arrive; default 256. */
    public Builder optMaxGroupSpan(int records) {
      this.maxGroupSpan = records;
      return this;
    }

    public Builder optEventAckTimeout(Duration timeout) {
      this.eventAckTimeout = timeout;
      return this;
    }

    /** Loss scaler settings of an fp16 preset; default 2^16, doubled after 2000 clean steps. */
    public Builder optLossScaling(LossScaling lossScaling) {
      this.lossScaling = lossScaling;
      return this;
    }

    public TrainerSettings build() {
      if (runId == null || checkpointRoot == null || preset == null || kafka == null) {
        throw new IllegalArgumentException(
            "trainer settings need setRunId, setCheckpointRoot, setPreset and setKafka");
      }
      List<Device> chosen = devices != null ? devices : EngineDevices.current().defaults();
      return new TrainerSettings(
          runId,
          topic,
          checkpointRoot,
          preset,
          kafka,
          maxSteps,
          checkpointEvery,
          metricsEvery,
          chosen,
          prefetchDepth,
          maxGroupSpan,
          eventAckTimeout,
          lossScaling);
    }
  }
}
