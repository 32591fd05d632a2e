package io.rotnet.trainer.precision;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The number type the heavy operations of a training step run in. Parameters, optimizer state and
 * checkpoints stay float32 whatever is chosen: a reduced precision only changes the forward and
 * backward passes (see {@link WorkingCopyStore}).
 */
public enum Precision {
  /** Everything in float32. */
  FP32(DataType.FLOAT32, false),
  /** bfloat16 convolutions and linear layer; float32's range, so no loss scaling. */
  BF16(DataType.BFLOAT16, false),
  /** float16 convolutions and linear layer, with dynamic loss scaling against underflow. */
  FP16(DataType.FLOAT16, true);

  private final DataType computeType;
  private final boolean needsLossScaling;

  Precision(DataType computeType, boolean needsLossScaling) {
    this.computeType = computeType;
    this.needsLossScaling = needsLossScaling;
  }

  /** Parses {@code fp32}, {@code bf16} or {@code fp16}, in any case. */
  public static Precision parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown precision '" + text + "'; known: " + Arrays.toString(labels()), e);
    }
  }

  private static String[] labels() {
    return Arrays.stream(values()).map(Precision::label).toArray(String[]::new);
  }

  /** Lower-case name, as the command line and the trainer state spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Type of the convolutions' and the linear layer's inputs, weights and outputs. */
  public DataType computeType() {
    return computeType;
  }

  public boolean isReduced() {
    return this != FP32;
  }

  /** Whether gradients need loss scaling to survive this type's narrow exponent range. */
  public boolean needsLossScaling() {
    return needsLossScaling;
  }

  /**
   * Refuses a precision the engine cannot run, before any array is made: DJL's PyTorch engine
   * (0.36) has no bfloat16 type in its native layer, and casting to it aborts the whole process
   * rather than throwing.
   */
  public void requireSupportedBy(Engine engine) {
    if (this == BF16 && "PyTorch".equals(engine.getEngineName())) {
      throw new IllegalArgumentException(
          "bf16 is not available: the native layer of DJL "
              + Engine.getDjlVersion()
              + "'s PyTorch engine has no bfloat16 type; use fp16 (on a GPU) or fp32");
    }
  }

  /** Whether this type runs far slower than float32 here: a CPU has no half-precision units. */
  public boolean isSlowOn(Device device) {
    return isReduced() && !device.isGpu();
  }
}
