package io.rotnet.trainer;

import io.rotnet.model.ModelSpec;
import io.rotnet.trainer.input.ImageNormalization;
import io.rotnet.trainer.precision.Precision;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of one pretraining recipe: the network, its input, the optimizer and the schedule.
 * Named presets live in {@link TrainingPresets}; fields are overridden through {@link
 * #toBuilder()}, whose {@code build()} validates like the constructor.
 *
 * @param name preset name, recorded in checkpoint events
 * @param architecture backbone as {@code ModelSpec.of} parses it: {@code resnet50}, or {@code
 *     resnet18-w16} for a ResNet-18 whose stem has 16 channels instead of 64
 * @param inputSize side of the square crops, in pixels; records of another size are refused
 * @param batchSize rotated images per step (a multiple of 4: whole rotation groups)
 * @param replicaBatchSize rotated images normalized together, as on one GPU of the reference (16
 *     crops x 4 rotations = 64): a step runs its batch in parts of this size (the whole batch when
 *     it is larger) and accumulates their gradients, so batch norm sees the reference's group
 *     size and activation memory is one part's, however large the batch
 * @param baseLearningRate learning rate for {@code referenceBatchSize} rotated images
 * @param referenceBatchSize batch the base learning rate is quoted for (linear scaling rule)
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay, added to the gradient of every parameter
 * @param warmupEpochs length of the linear warm-up
 * @param warmupStartFactor fraction of the learning rate the warm-up starts from
 * @param decayEpochs epochs at which the learning rate is multiplied by {@code decayFactor}
 * @param decayFactor step decay factor
 * @param epochs passes over the dataset to train for
 * @param keepEveryEpochs epoch-boundary checkpoints kept forever every this many epochs
 * @param keepLast most recent checkpoints kept
 * @param seed seed of the weight initialization
 * @param precision number type of the convolutions and the linear layer; parameters, optimizer
 *     state and checkpoints are float32 in every precision
 * @param nesterov Nesterov momentum, as PyTorch's {@code SGD(nesterov=True)}
 * @param normalization per-channel mean and std the trainer normalizes 8-bit pixels with
 */
public record TrainingPreset(
    String name,
    String architecture,
    int inputSize,
    int batchSize,
    int replicaBatchSize,
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
    long seed,
    Precision precision,
    boolean nesterov,
    ImageNormalization normalization) {

  public TrainingPreset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(normalization, "normalization");
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
    requirePositive("replicaBatchSize", replicaBatchSize);
    if (replicaBatchSize % 4 != 0 || batchSize % Math.min(replicaBatchSize, batchSize) != 0) {
      throw new IllegalArgumentException(
          "replicaBatchSize must hold whole rotation groups (a multiple of 4) and divide the batch"
              + " of "
              + batchSize
              + ", got "
              + replicaBatchSize);
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

  /** Rotated images per part of a step: the replica batch, or the whole batch if smaller. */
  public int partSize() {
    return Math.min(replicaBatchSize, batchSize);
  }

  /** Crops (rotation groups) per step. */
  public int groupsPerBatch() {
    return batchSize / 4;
  }

  /** Peak learning rate after linear scaling: {@code base * batch / reference}. */
  public double peakLearningRate() {
    return baseLearningRate * batchSize / referenceBatchSize;
  }

  /** A builder holding this preset's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder holding this preset's values under another name and architecture (a derived preset). */
  public Builder derive(String newName, String newArchitecture) {
    return new Builder(this, newName, newArchitecture);
  }

  /** Starts a preset from scratch; every field but the precision (default fp32) must be set. */
  public static Builder builder(String name, String architecture) {
    return new Builder(name, architecture);
  }

  /** Named setters for the fields; {@link #build()} validates like the constructor. */
  public static final class Builder {
    private final String name;
    private final String architecture;
    private int inputSize;
    private int batchSize;
    private int replicaBatchSize;
    private double baseLearningRate;
    private int referenceBatchSize;
    private double momentum;
    private double weightDecay;
    private double warmupEpochs;
    private double warmupStartFactor;
    private List<Integer> decayEpochs = List.of();
    private double decayFactor;
    private int epochs;
    private int keepEveryEpochs;
    private int keepLast;
    private long seed;
    private Precision precision = Precision.FP32;
    private boolean nesterov;
    private ImageNormalization normalization = ImageNormalization.IMAGENET;

    private Builder(String name, String architecture) {
      this.name = name;
      this.architecture = architecture;
    }

    private Builder(TrainingPreset preset) {
      this(preset, preset.name, preset.architecture);
    }

    private Builder(TrainingPreset preset, String name, String architecture) {
      this(name, architecture);
      inputSize = preset.inputSize;
      batchSize = preset.batchSize;
      replicaBatchSize = preset.replicaBatchSize;
      baseLearningRate = preset.baseLearningRate;
      referenceBatchSize = preset.referenceBatchSize;
      momentum = preset.momentum;
      weightDecay = preset.weightDecay;
      warmupEpochs = preset.warmupEpochs;
      warmupStartFactor = preset.warmupStartFactor;
      decayEpochs = preset.decayEpochs;
      decayFactor = preset.decayFactor;
      epochs = preset.epochs;
      keepEveryEpochs = preset.keepEveryEpochs;
      keepLast = preset.keepLast;
      seed = preset.seed;
      precision = preset.precision;
      nesterov = preset.nesterov;
      normalization = preset.normalization;
    }

    public Builder inputSize(int value) {
      inputSize = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    /**
     * Rotated images per batch-norm group and part of a step; when never set, the batch size at
     * {@link #build()}.
     */
    public Builder replicaBatchSize(int value) {
      replicaBatchSize = value;
      return this;
    }

    /** Learning rate for {@code referenceBatchSize} rotated images, scaled linearly with the batch. */
    public Builder learningRate(double base, int perReferenceBatch) {
      baseLearningRate = base;
      referenceBatchSize = perReferenceBatch;
      return this;
    }

    public Builder baseLearningRate(double value) {
      baseLearningRate = value;
      return this;
    }

    /** SGD momentum (no Nesterov) and L2 weight decay. */
    public Builder sgd(double newMomentum, double newWeightDecay) {
      momentum = newMomentum;
      weightDecay = newWeightDecay;
      return this;
    }

    /** Linear warm-up over {@code epochs}, starting from {@code startFactor} of the rate. */
    public Builder warmup(double epochs, double startFactor) {
      warmupEpochs = epochs;
      warmupStartFactor = startFactor;
      return this;
    }

    public Builder warmupEpochs(double value) {
      warmupEpochs = value;
      return this;
    }

    /** Step decay: the rate is multiplied by {@code factor} at each of these epochs. */
    public Builder stepDecay(List<Integer> epochsAt, double factor) {
      decayEpochs = epochsAt;
      decayFactor = factor;
      return this;
    }

    public Builder decayEpochs(List<Integer> value) {
      decayEpochs = value;
      return this;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    /** Retention: the {@code last} newest checkpoints plus every {@code everyEpochs}-th epoch's. */
    public Builder keep(int last, int everyEpochs) {
      keepLast = last;
      keepEveryEpochs = everyEpochs;
      return this;
    }

    public Builder keepLast(int value) {
      keepLast = value;
      return this;
    }

    public Builder keepEveryEpochs(int value) {
      keepEveryEpochs = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** Precision of the forward and backward passes; default fp32. */
    public Builder precision(Precision value) {
      precision = value;
      return this;
    }

    /** Nesterov momentum (default off, as MMSelfSup's RotNet). */
    public Builder nesterov(boolean value) {
      nesterov = value;
      return this;
    }

    /** Input normalization (default ImageNet's mean and std). */
    public Builder normalization(ImageNormalization value) {
      normalization = value;
      return this;
    }

    public TrainingPreset build() {
      int replica = replicaBatchSize > 0 ? replicaBatchSize : batchSize;
      return new TrainingPreset(name, architecture, inputSize, batchSize, replica, baseLearningRate,
          referenceBatchSize, momentum, weightDecay, warmupEpochs, warmupStartFactor, decayEpochs,
          decayFactor, epochs, keepEveryEpochs, keepLast, seed, precision, nesterov, normalization);
    }
  }
}
