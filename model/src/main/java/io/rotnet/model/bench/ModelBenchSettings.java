package io.rotnet.model.bench;

import ai.djl.Device;
import java.util.List;

/**
 * What {@link ModelBenchmark} measures.
 *
 * @param sizes input sides in pixels
 * @param batchSize images per step
 * @param warmUpSteps untimed steps per model and size
 * @param timedSteps timed steps per model and size; 0 picks 5 up to 96 px and 2 above
 * @param depth ResNet depth of both models
 * @param device where both models run
 */
public record ModelBenchSettings(
    List<Integer> sizes, int batchSize, int warmUpSteps, int timedSteps, int depth, Device device) {

  public ModelBenchSettings {
    sizes = List.copyOf(sizes);
    if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 32)) {
      throw new IllegalArgumentException("sizes must be non-empty and each at least 32 px: " + sizes);
    }
    if (batchSize < 1 || warmUpSteps < 0 || timedSteps < 0) {
      throw new IllegalArgumentException("batch >= 1, warm-up >= 0 and steps >= 0 required");
    }
    if (depth != 50 && depth != 101 && depth != 152) {
      // DJL's ResNetV1 uses bottleneck units at these depths only, so the comparison is fair
      throw new IllegalArgumentException("benchmark depth must be 50, 101 or 152, got " + depth);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Timed steps for one input size. */
  public int timedStepsFor(int size) {
    if (timedSteps > 0) {
      return timedSteps;
    }
    return size <= 96 ? 5 : 2;
  }

  /** Builder with the reference benchmark: ResNet-50, 64 and 224 px, batch 32. */
  public static final class Builder {
    private List<Integer> sizes = List.of(64, 224);
    private int batchSize = 32;
    private int warmUpSteps = 1;
    private int timedSteps;
    private int depth = 50;
    private Device device;

    private Builder() {}

    public Builder optSizes(List<Integer> sizes) {
      this.sizes = sizes;
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optWarmUpSteps(int warmUpSteps) {
      this.warmUpSteps = warmUpSteps;
      return this;
    }

    /** Timed steps per model and size (0 = 5 up to 96 px, 2 above). */
    public Builder optTimedSteps(int timedSteps) {
      this.timedSteps = timedSteps;
      return this;
    }

    public Builder optDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Device for both models (default: the engine's default device). */
    public Builder optDevice(Device device) {
      this.device = device;
      return this;
    }

    public ModelBenchSettings build() {
      return new ModelBenchSettings(
          sizes,
          batchSize,
          warmUpSteps,
          timedSteps,
          depth,
          device != null ? device : ai.djl.engine.Engine.getInstance().defaultDevice());
    }
  }
}
