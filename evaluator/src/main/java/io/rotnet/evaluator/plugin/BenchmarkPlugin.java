package io.rotnet.evaluator.plugin;

import java.io.IOException;

/**
 * A family of benchmarks that lives in a module of its own and joins the evaluator service:
 * listed in {@code META-INF/services/io.rotnet.evaluator.plugin.BenchmarkPlugin} of its jar and
 * found by {@link BenchmarkPlugins}. The built-in frozen-feature benchmarks
 * ({@link io.rotnet.evaluator.run.BenchmarkKind}) take precedence over a plug-in of the same name.
 */
public interface BenchmarkPlugin {

  /** The benchmark's published name ({@code --benchmark}, {@code EvalResult.benchmark}). */
  String name();

  /** One line for the command line's help: protocol and dataset formats. */
  String summary();

  /**
   * Opens the dataset named in the context and checks it suits the benchmark, before any
   * checkpoint is evaluated; a dataset that cannot serve is an
   * {@link io.rotnet.evaluator.dataset.DatasetException}.
   */
  CheckpointEvaluation open(PluginContext context) throws IOException;
}
