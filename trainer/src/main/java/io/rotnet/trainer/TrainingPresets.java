package io.rotnet.trainer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The named training recipes. */
public final class TrainingPresets {

  /**
   * MMSelfSup's {@code resnet50_8xb16-steplr-70e}: ResNet-50 at 224 px, 16 crops x 4 rotations per
   * GPU on 8 GPUs (512 rotated images), SGD lr 0.2 per 512, momentum 0.9, wd 1e-4, 5 warm-up epochs
   * from 0.1x, x0.1 at epochs 30 and 50, 70 epochs, a checkpoint kept every 10 epochs. Batch norm
   * runs per 64 rotated images, as per GPU in the reference, on any number of devices.
   */
  public static final TrainingPreset RESNET50_STEPLR_70E =
      TrainingPreset.builder("rotnet-resnet50-steplr-70e", "resnet50")
          .inputSize(224)
          .batchSize(512)
          .replicaBatchSize(64)
          .learningRate(0.2, 512)
          .sgd(0.9, 1e-4)
          .warmup(5, 0.1)
          .stepDecay(List.of(30, 50), 0.1)
          .epochs(70)
          .keep(3, 10)
          .seed(0)
          .build();

  /**
   * The same algorithm at CPU scale, for tests and the local run: a ResNet-18 layout at a quarter
   * of the widths on 32 px crops, 16 crops x 4 rotations per step, a short schedule (one warm-up
   * epoch, decays at 6 and 8 of 10 epochs). The base rate is quoted per 512 like the reference;
   * it is higher than the reference because small batches on a small net tolerate it.
   */
  public static final TrainingPreset TINY_CPU =
      TrainingPreset.builder("rotnet-tiny-cpu", "resnet18-w16")
          .inputSize(32)
          .batchSize(64)
          .replicaBatchSize(64)
          .learningRate(0.8, 512)
          .sgd(0.9, 1e-4)
          .warmup(1, 0.1)
          .stepDecay(List.of(6, 8), 0.1)
          .epochs(10)
          .keep(3, 5)
          .seed(0)
          .build();

  private static final Map<String, TrainingPreset> BY_NAME = index(RESNET50_STEPLR_70E, TINY_CPU);

  private TrainingPresets() {}

  private static Map<String, TrainingPreset> index(TrainingPreset... presets) {
    Map<String, TrainingPreset> map = new TreeMap<>();
    for (TrainingPreset preset : presets) {
      map.put(preset.name(), preset);
    }
    return Map.copyOf(map);
  }

  /** The preset with this name. */
  public static Optional<TrainingPreset> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The preset with this name, or an error listing the known names. */
  public static TrainingPreset require(String name) {
    return byName(name)
        .orElseThrow(
            () -> new IllegalArgumentException("unknown preset '" + name + "'; known: " + names()));
  }

  /** Names of every preset, sorted. */
  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }
}
