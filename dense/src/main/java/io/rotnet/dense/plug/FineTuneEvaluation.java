package io.rotnet.dense.plug;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dense benchmarks share: each fine-tunes the checkpoint's ResNet with a task head and
 * publishes rows; the checkpoint is verified and loaded here, the fine-tune's state lives under
 * the benchmark's own folder of the work dir, keyed by checkpoint, dataset and preset.
 */
abstract class FineTuneEvaluation implements CheckpointEvaluation {
  private final String benchmark;
  private final String datasetName;
  private final CheckpointReader reader;
  private final Path stateDir;
  private final ProgressListener progress;

  FineTuneEvaluation(String benchmark, String datasetName, PluginContext context) throws IOException {
    this.benchmark = benchmark;
    this.datasetName = datasetName;
    this.reader = new CheckpointReader(context.checkpointRoot());
    this.stateDir = context.workDir().resolve(benchmark);
    this.progress = context.progress();
  }

  /** Refuses a parameter the benchmark does not know, naming the ones it does. */
  static void requireKnown(String benchmark, Map<String, String> params, Set<String> known) {
    for (String key : params.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(benchmark + " has no parameter '" + key + "' (" + known + ")");
      }
    }
  }

  /** Fine-tunes {@code resNet} and scores the result. */
  abstract List<EvalRow> fineTune(CheckpointEvent event, VerifiedCheckpoint checkpoint, ResNet resNet,
      NDManager manager) throws IOException;

  @Override
  public final String benchmark() {
    return benchmark;
  }

  @Override
  public final String datasetName() {
    return datasetName;
  }

  @Override
  public final VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException {
    return reader.verify(event.getUri(), event.getSha256());
  }

  @Override
  public final EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint) throws IOException {
    Instant started = Instant.now();
    List<EvalRow> rows;
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded;
      try {
        loaded = reader.load(event.getUri(), null, event.getSha256(), manager);
      } catch (CheckpointException e) {
        throw new CheckpointLoadException(e);
      }
      if (!(loaded.model().backbone() instanceof ResNet resNet)) {
        throw new IllegalArgumentException(benchmark + " fine-tunes a ResNet; "
            + loaded.model().spec().architecture() + " is not one");
      }
      rows = fineTune(event, checkpoint, resNet, manager);
    }
    return EvalResult.newBuilder()
        .setCheckpointId(event.getCheckpointId()).setRunId(event.getRunId()).setStep(event.getStep())
        .setBenchmark(benchmark).setDataset(datasetName).setRows(rows)
        .setStartedAt(started).setFinishedAt(Instant.now()).setEvaluatorVersion(version())
        .build();
  }

  /** The state file of one fine-tune of {@code event}'s checkpoint with {@code preset}. */
  final Path stateFile(CheckpointEvent event, String preset) {
    return stateDir.resolve(safe(event.getCheckpointId()) + "-" + safe(datasetName) + "-" + preset + ".state");
  }

  /** Where the fine-tune of {@code event}'s checkpoint reports its progress. */
  final ProgressListener progress() {
    return progress;
  }

  /** The run name of that fine-tune's progress: {@code <checkpoint id>/<benchmark>/<dataset>}. */
  final String progressRun(CheckpointEvent event) {
    return event.getCheckpointId() + "/" + benchmark + "/" + datasetName;
  }

  static EvalRow row(String tap, String metric, double value) {
    return EvalRow.newBuilder().setTap(tap).setMetric(metric).setValue(value).build();
  }

  private static String safe(String text) {
    return text.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String version() {
    String v = FineTuneEvaluation.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
