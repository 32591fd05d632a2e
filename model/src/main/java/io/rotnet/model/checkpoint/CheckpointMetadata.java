package io.rotnet.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where training stood when a checkpoint was taken; the writer adds model spec, files and time.
 *
 * @param runId training run the checkpoint belongs to (a safe directory name)
 * @param step optimizer steps taken
 * @param epoch epoch counter of the schedule
 * @param imagesSeen rotated images trained on so far
 * @param preset name of the training preset, or null
 * @param consumedOffsets Kafka positions consumed up to (next offsets)
 */
public record CheckpointMetadata(
    String runId,
    long step,
    int epoch,
    long imagesSeen,
    String preset,
    List<ConsumedOffset> consumedOffsets) {

  public CheckpointMetadata {
    CheckpointLayout.requireSafeName("runId", runId);
    if (step < 0 || epoch < 0 || imagesSeen < 0) {
      throw new IllegalArgumentException(
          "step, epoch and imagesSeen must be >= 0: " + step + ", " + epoch + ", " + imagesSeen);
    }
    consumedOffsets = List.copyOf(Objects.requireNonNull(consumedOffsets, "consumedOffsets"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: run id and step are required. */
  public static final class Builder {
    private String runId;
    private Long step;
    private int epoch;
    private long imagesSeen;
    private String preset;
    private final List<ConsumedOffset> offsets = new ArrayList<>();

    private Builder() {}

    public Builder setRunId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder setStep(long step) {
      this.step = step;
      return this;
    }

    public Builder optEpoch(int epoch) {
      this.epoch = epoch;
      return this;
    }

    public Builder optImagesSeen(long imagesSeen) {
      this.imagesSeen = imagesSeen;
      return this;
    }

    public Builder optPreset(String preset) {
      this.preset = preset;
      return this;
    }

    public Builder optConsumedOffsets(List<ConsumedOffset> consumedOffsets) {
      offsets.clear();
      offsets.addAll(consumedOffsets);
      return this;
    }

    public Builder addConsumedOffset(String topic, int partition, long offset) {
      offsets.add(new ConsumedOffset(topic, partition, offset));
      return this;
    }

    public CheckpointMetadata build() {
      if (runId == null || step == null) {
        throw new IllegalArgumentException("checkpoint metadata needs setRunId and setStep");
      }
      return new CheckpointMetadata(runId, step, epoch, imagesSeen, preset, offsets);
    }
  }
}
