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
 * @param progress where a fine-tune reports its iterations and losses
 */
public record PluginContext(
    Path checkpointRoot, String dataset, Path workDir, Map<String, String> params, long seed, int threads,
    ProgressListener progress) {

  public PluginContext {
    Objects.requireNonNull(checkpointRoot, "checkpointRoot");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(workDir, "workDir");
    params = Map.copyOf(params);
    Objects.requireNonNull(progress, "progress");
  }

  /** A context whose progress reports go nowhere. */
  public PluginContext(Path checkpointRoot, String dataset, Path workDir, Map<String, String> params, long seed,
      int threads) {
    this(checkpointRoot, dataset, workDir, params, seed, threads, ProgressListener.NONE);
  }

  public Optional<String> param(String key) {
    return Optional.ofNullable(params.get(key));
  }
}
