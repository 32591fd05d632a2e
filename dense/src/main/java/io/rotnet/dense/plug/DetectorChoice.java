package io.rotnet.dense.plug;

import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import java.util.Set;

/**
 * The detector a detection benchmark fine-tunes, from its parameters: {@code preset} (of the
 * benchmark's architecture), {@code iterations} (a shorter run of the same schedule) and {@code
 * checkpoint-every} (iterations between saved states, 500). The class count comes from the
 * dataset, the backbone's depth and width from the checkpoint.
 */
record DetectorChoice(DetectorConfig preset, int checkpointEvery) {
  static final Set<String> PARAMS = Set.of("preset", "iterations", "checkpoint-every");

  static DetectorChoice of(String benchmark, PluginContext context, String defaultPreset,
      DetectorConfig.Architecture architecture, int classes) {
    FineTuneEvaluation.requireKnown(benchmark, context.params(), PARAMS);
    DetectorConfig preset = DetectionPresets.get(context.param("preset").orElse(defaultPreset)).withClasses(classes);
    if (preset.architecture() != architecture) {
      throw new IllegalArgumentException(benchmark + " runs a " + architecture + " preset, " + preset.name() + " is "
          + preset.architecture());
    }
    if (context.param("iterations").isPresent()) {
      preset = preset.withIterations(Integer.parseInt(context.param("iterations").get()));
    }
    int every = Integer.parseInt(context.param("checkpoint-every").orElse("500"));
    if (every <= 0) {
      throw new IllegalArgumentException("checkpoint-every must be positive, got " + every);
    }
    return new DetectorChoice(preset, every);
  }

  /** The preset on the checkpoint's backbone. */
  DetectorConfig on(ResNet resNet) {
    return preset.withBackbone(resNet.spec().depth(), resNet.spec().widthDivisor());
  }

  /** What a saved state must match to be resumed. */
  static String stateKey(VerifiedCheckpoint checkpoint, DetectorConfig config, int trainImages, long seed) {
    return String.join("|", checkpoint.manifestSha256(), config.name(),
        Integer.toString(config.schedule().maxIterations()), Integer.toString(trainImages), Long.toString(seed));
  }
}
