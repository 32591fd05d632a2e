package io.rotnet.trainer;

import io.rotnet.model.ModelSpec;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of one pretraining recipe: the network, its input, the optimizer and the schedule.
 * Named presets live in {@link TrainingPresets}; any field can be overridden with the {@code with*}
 * methods, which validate like the constructor.
 *
 * @param name preset name, recorded in checkpoint events
 * @param architecture backbone as {@code ModelSpec.of} parses it: {@code resnet50}, or {@code
 *     resnet18-w16} for a ResNet-18 whose stem has 16 channels instead of 64
 * @param inputSize side of the square crops, in pixels; records of another size are refused
 * @param batchSize rotated images per step (a multiple of 4: whole rotation groups)
 * @param baseLearningRate learning rate for {@code referenceBatchSize} rotated images
 * @param referenceBatchSize batch the base learning rate is quoted for (linear scaling rule)
 * @param momentum SGD momentum (no Nesterov)
 * @param weightDecay L2 weight decay, added to the gradient of every parameter
 * @param warmupEpochs length of the linear warm-up
 * @param warmupStartFactor fraction of the learning rate the warm-up starts from
 * @param decayEpochs epochs at which the learning rate is multiplied by {@code decayFactor}
 * @param decayFactor step decay factor
 * @param epochs passes over the dataset to train for
 * @param keepEveryEpochs epoch-boundary checkpoints kept forever every this many epochs
 * @param keepLast most recent checkpoints kept
 * @param seed seed of the weight initialization
 */
public record TrainingPreset(
    String name,
    String architecture,
    int inputSize,
    int batchSize,
    double baseLearningRate,
    int referenceBatchSize,
    double momentum,
    double weightDecay,
    double warmupEpochs,
    double warmupStartFactor,
    List<Integer> decayEpochs,
    double decayFactor,
    int epochs,
    int keepEveryEpochs,
    int keepLast,
    long seed) {

  public TrainingPreset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    decayEpochs = List.copyOf(decayEpochs);
    ModelSpec.of(architecture, inputSize); // validates architecture and input size
    requirePositive("inputSize", inputSize);
    requirePositive("batchSize", batchSize);
    requirePositive("referenceBatchSize", referenceBatchSize);
    requirePositive("epochs", epochs);
    requirePositive("keepEveryEpochs", keepEveryEpochs);
    requirePositive("keepLast", keepLast);
    if (batchSize % 4 != 0) {
      throw new IllegalArgumentException(
          "batchSize counts rotated images and must hold whole rotation groups (a multiple of 4),"
              + " got "
              + batchSize);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
    }
    // The schedule validates learning rate, warm-up and decay settings.
    new LearningRateSchedule(
        baseLearningRate * batchSize / referenceBatchSize,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor);
  }

  private static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  /** The network this preset trains. */
  public ModelSpec modelSpec() {
    return ModelSpec.of(architecture, inputSize);
  }

  /** Crops (rotation groups) per step. */
  public int groupsPerBatch() {
    return batchSize / 4;
  }

  /** Peak learning rate after linear scaling: {@code base * batch / reference}. */
  public double peakLearningRate() {
    return baseLearningRate * batchSize / referenceBatchSize;
  }

  public TrainingPreset withBatchSize(int value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        value,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        keepEveryEpochs,
        keepLast,
        seed);
  }

  public TrainingPreset withInputSize(int value) {
    return new TrainingPreset(
        name,
        architecture,
        value,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        keepEveryEpochs,
        keepLast,
        seed);
  }

  public TrainingPreset withBaseLearningRate(double value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        value,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        keepEveryEpochs,
        keepLast,
        seed);
  }

  public TrainingPreset withEpochs(int value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        value,
        keepEveryEpochs,
        keepLast,
        seed);
  }

  /** Same recipe with another warm-up length and decay milestones (e.g. for a shorter run). */
  public TrainingPreset withSchedule(double warmup, List<Integer> decays) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmup,
        warmupStartFactor,
        decays,
        decayFactor,
        epochs,
        keepEveryEpochs,
        keepLast,
        seed);
  }

  public TrainingPreset withKeepLast(int value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        keepEveryEpochs,
        value,
        seed);
  }

  public TrainingPreset withKeepEveryEpochs(int value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        value,
        keepLast,
        seed);
  }

  public TrainingPreset withSeed(long value) {
    return new TrainingPreset(
        name,
        architecture,
        inputSize,
        batchSize,
        baseLearningRate,
        referenceBatchSize,
        momentum,
        weightDecay,
        warmupEpochs,
        warmupStartFactor,
        decayEpochs,
        decayFactor,
        epochs,
        keepEveryEpochs,
        keepLast,
        value);
  }
}
