package io.rotnet.evaluator.linear;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One streamed linear-evaluation protocol: which heads, which training view, the SGD settings and
 * the schedule. The named presets are the MMSelfSup 0.x configs; the demo presets are derived
 * from them by values only (fewer epochs with the milestones scaled, fewer images).
 *
 * @param name what {@code --preset} accepts
 * @param heads multi-head (BN + Linear on feature1..5) or AvgPool (Linear on the pooled feature)
 * @param trainView the augmentation of the training images, drawn anew every epoch
 * @param epochs epochs of SGD
 * @param milestones epochs at whose start the learning rate is multiplied by {@code gamma}
 * @param learningRate base learning rate for {@code batchSize} images
 * @param momentum SGD momentum (no dampening)
 * @param nesterov Nesterov look-ahead
 * @param weightDecay L2 on the Linear weight and bias (the affine-free BN has no parameters)
 * @param gamma step factor
 * @param batchSize images per SGD step (the reference's global batch: 8 GPUs x 32)
 * @param maxTrain training images used (0 = all), seeded subset, for demo presets
 * @param maxTest test images used (0 = all), seeded subset, for demo presets
 */
public record LinearPreset(
    String name,
    Heads heads,
    TrainView.Kind trainView,
    int epochs,
    int[] milestones,
    double learningRate,
    double momentum,
    boolean nesterov,
    double weightDecay,
    double gamma,
    int batchSize,
    int maxTrain,
    int maxTest) {

  /** The head families of the linear protocols. */
  public enum Heads {
    /** Per tap AvgPool2d to the tap grid, BatchNorm2d(C, affine=False), Linear. */
    MULTI_HEAD,
    /** Global average pool of feature5, Linear(2048 -> classes). */
    AVGPOOL
  }

  public LinearPreset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(heads, "heads");
    Objects.requireNonNull(trainView, "trainView");
    milestones = milestones.clone();
    if (epochs < 1 || batchSize < 2 || maxTrain < 0 || maxTest < 0) {
      throw new IllegalArgumentException("epochs >= 1, batch >= 2 and image limits >= 0 are required");
    }
    if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0 || !(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("lr > 0, momentum in [0, 1), weight decay >= 0, gamma in (0, 1] required");
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }
    for (int milestone : milestones) {
      if (milestone < 1 || milestone >= epochs) {
        throw new IllegalArgumentException("milestone " + milestone + " outside 1.." + (epochs - 1));
      }
    }
  }

  /** {@code resnet50_mhead_linear-8xb32-steplr-90e_in1k}. */
  public static final LinearPreset IMAGENET_MHEAD_90E = new LinearPreset(
      "imagenet-mhead-90e", Heads.MULTI_HEAD, TrainView.Kind.RESIZED_CROP_JITTER_LIGHTING, 90, new int[] {30, 60},
      0.01, 0.9, true, 1e-4, 0.1, 256, 0, 0);

  /** {@code resnet50_linear-8xb32-steplr-100e_in1k}. */
  public static final LinearPreset IMAGENET_AVGPOOL_100E = new LinearPreset(
      "imagenet-avgpool-100e", Heads.AVGPOOL, TrainView.Kind.RESIZED_CROP, 100, new int[] {60, 80},
      30, 0.9, false, 0, 0.1, 256, 0, 0);

  /** {@code resnet50_mhead_8xb32-steplr-28e_places205}. */
  public static final LinearPreset PLACES205_MHEAD_28E = new LinearPreset(
      "places205-mhead-28e", Heads.MULTI_HEAD, TrainView.Kind.CENTER_THEN_RANDOM_CROP, 28, new int[] {7, 14, 21},
      0.01, 0.9, true, 1e-4, 0.1, 256, 0, 0);

  private static final Map<String, LinearPreset> NAMED = named(
      IMAGENET_MHEAD_90E,
      IMAGENET_AVGPOOL_100E,
      PLACES205_MHEAD_28E,
      // demo presets: the ImageNet protocols with 6 epochs on at most 5000 / 1000 images
      IMAGENET_MHEAD_90E.derived("demo-mhead-6e", 6, 5000, 1000),
      IMAGENET_AVGPOOL_100E.derived("demo-avgpool-6e", 6, 5000, 1000));

  /** The preset of that name. */
  public static LinearPreset require(String name) {
    LinearPreset preset = NAMED.get(name.trim().toLowerCase(Locale.ROOT));
    if (preset == null) {
      throw new IllegalArgumentException("unknown linear preset '" + name + "' (expected one of " + names() + ")");
    }
    return preset;
  }

  public static List<String> names() {
    return List.copyOf(NAMED.keySet());
  }

  /** The protocol preset of a head family: imagenet-mhead-90e or imagenet-avgpool-100e. */
  public static LinearPreset protocolFor(Heads heads) {
    return heads == Heads.AVGPOOL ? IMAGENET_AVGPOOL_100E : IMAGENET_MHEAD_90E;
  }

  /**
   * The same protocol for another number of epochs and images: milestones keep their fraction of
   * the schedule (30/90 and 60/90 stay a third and two thirds), rounded, at least epoch 1.
   */
  public LinearPreset derived(String newName, int newEpochs, int newMaxTrain, int newMaxTest) {
    int[] scaled = Arrays.stream(milestones)
        .map(m -> (int) Math.max(1, Math.round((double) m * newEpochs / epochs)))
        .filter(m -> m < newEpochs)
        .distinct()
        .toArray();
    return new LinearPreset(newName, heads, trainView, newEpochs, scaled, learningRate, momentum, nesterov,
        weightDecay, gamma, batchSize, newMaxTrain, newMaxTest);
  }

  /** This preset with another epoch count (name suffixed), milestones scaled. */
  public LinearPreset withEpochs(int newEpochs) {
    return newEpochs == epochs ? this : derived(name + "@" + newEpochs + "e", newEpochs, maxTrain, maxTest);
  }

  /** This preset with another batch size; the learning rate is the preset's, unchanged. */
  public LinearPreset withBatchSize(int newBatchSize) {
    return new LinearPreset(name, heads, trainView, epochs, milestones, learningRate, momentum, nesterov,
        weightDecay, gamma, newBatchSize, maxTrain, maxTest);
  }

  /** The learning rate of {@code epoch} (0-based): x gamma per milestone reached, as mmcv's step policy. */
  public double learningRateAt(int epoch) {
    int reached = 0;
    for (int milestone : milestones) {
      if (epoch >= milestone) {
        reached++;
      }
    }
    return learningRate * Math.pow(gamma, reached);
  }

  @Override
  public int[] milestones() {
    return milestones.clone();
  }

  /** Everything that changes the outcome, for the resume key. */
  public String describe() {
    return name + "/" + heads + "/" + trainView + "/e" + epochs + "/m" + Arrays.toString(milestones) + "/lr"
        + learningRate + "/mu" + momentum + (nesterov ? "n" : "") + "/wd" + weightDecay + "/g" + gamma
        + "/b" + batchSize + "/n" + maxTrain + "-" + maxTest;
  }

  @Override
  public String toString() {
    return name + " (" + heads.name().toLowerCase(Locale.ROOT) + ", " + epochs + " epochs, steps "
        + Arrays.toString(milestones) + ", lr " + learningRate + ", batch " + batchSize + ", " + trainView + ")";
  }

  private static Map<String, LinearPreset> named(LinearPreset... presets) {
    Map<String, LinearPreset> map = new LinkedHashMap<>();
    for (LinearPreset preset : presets) {
      map.put(preset.name(), preset);
    }
    return map;
  }
}
