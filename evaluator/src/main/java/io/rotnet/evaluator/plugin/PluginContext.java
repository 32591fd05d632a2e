package io.rotnet.evaluator.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a plugged-in benchmark is opened with.
 *
 * @param checkpointRoot checkpoints outside it are refused
 * @param dataset the {@code --dataset} spec, {@code [NAME=]FORMAT:PATH}
 * @param workDir where the benchmark may keep state (e.g. fine-tuning state to resume)
 * @param params the benchmark's own settings ({@code --param KEY=VALUE}); unknown keys are an error
 * @param seed seed of draws and initialisations
 * @param threads worker threads (0: all cores)
 */
public record PluginContext(
    Path checkpointRoot, String dataset, Path workDir, Map<String, String> params, long seed, int threads) {

  public PluginContext {
    Objects.requireNonNull(checkpointRoot, "checkpointRoot");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(workDir, "workDir");
    params = Map.copyOf(params);
  }

  public Optional<String> param(String key) {
    return Optional.ofNullable(params.get(key));
  }
}
