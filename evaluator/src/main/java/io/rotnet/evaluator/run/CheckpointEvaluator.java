package io.rotnet.evaluator.run;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.features.FeatureExtractor;
import io.rotnet.evaluator.linear.LinearPreset;
import io.rotnet.evaluator.linear.StreamedLinearBenchmark;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.model.ResNet;
import io.rotnet.model.Tap;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates one announced checkpoint with one benchmark on one dataset: verifies it (inside the
 * checkpoint root, manifest sha256 as announced, every file's sha256), takes its features from
 * the cache or extracts them with the frozen backbone, runs the benchmark and builds the
 * {@link EvalResult}. Stateless between checkpoints apart from the cache on disk.
 */
public final class CheckpointEvaluator implements CheckpointEvaluation {
  private final CheckpointReader reader;
  private final EvalDataset dataset;
  private final BenchmarkRunner runner;
  private final FeatureCache cache;
  private final int batchSize;
  private final Preprocessing view;
  private final String evaluatorVersion;
  private final Clock clock;
  private final Set<Tap> alsoExtract;
  private final String expectedArchitecture;
  private final StreamedLinearBenchmark linear;

  private CheckpointEvaluator(Builder builder) {
    this.reader = builder.reader;
    this.dataset = builder.dataset;
    this.runner = builder.runner;
    this.cache = builder.cache;
    this.batchSize = builder.batchSize;
    this.view = builder.view;
    this.evaluatorVersion = builder.evaluatorVersion;
    this.clock = builder.clock;
    this.alsoExtract = builder.alsoExtract;
    this.expectedArchitecture = builder.expectedArchitecture;
    this.linear = builder.linear;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String benchmark() {
    return runner.settings().kind().label();
  }

  @Override
  public String datasetName() {
    return dataset.name();
  }

  /** The result key: {@code <checkpointId>/<benchmark>/<dataset>}. */
  @Override
  public String resultKey(String checkpointId) {
    return checkpointId + "/" + benchmark() + "/" + datasetName();
  }

  /**
   * Verifies the announced checkpoint; the exception names what failed. A checkpoint whose
   * architecture differs from the one its event announces, or from the one this evaluator is
   * configured for, is refused as {@code ARCHITECTURE_MISMATCH} (a dead letter for the service).
   */
  @Override
  public VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException {
    VerifiedCheckpoint checkpoint = reader.verify(event.getUri(), event.getSha256());
    String actual = checkpoint.manifest().architecture();
    if (event.getArchitecture() != null && !event.getArchitecture().equals(actual)) {
      throw new CheckpointException(CheckpointException.Reason.ARCHITECTURE_MISMATCH,
          event.getCheckpointId() + " is announced as " + event.getArchitecture() + " but holds " + actual);
    }
    if (expectedArchitecture != null && !expectedArchitecture.equals(actual)) {
      throw new CheckpointException(CheckpointException.Reason.ARCHITECTURE_MISMATCH,
          event.getCheckpointId() + " holds " + actual + "; this evaluator takes " + expectedArchitecture + " only");
    }
    return checkpoint;
  }

  /** Runs the benchmark on a verified checkpoint. */
  @Override
  public EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint)
      throws IOException, InterruptedException {
    return evaluate(event, checkpoint, runner, alsoExtract);
  }

  /** The benchmark's units of work ({@link TaskSplit}): one task per name. */
  public List<String> tasks() {
    return TaskSplit.tasks(runner.settings());
  }

  /**
   * Runs one task of the benchmark (its share of taps or shots, or of the kNN train bank); every
   * tap of the benchmark is extracted with the first task, so the other tasks of this machine find
   * them cached. A kNN train-shard task gives neighbour lists and no rows: {@link #knnRows} votes
   * once all shards are merged.
   */
  public TaskOutcome evaluateTask(CheckpointEvent event, VerifiedCheckpoint checkpoint, String task)
      throws IOException, InterruptedException {
    Optional<TaskSplit.TrainShard> shard = TaskSplit.TrainShard.of(task);
    if (shard.isPresent() && TaskSplit.tasks(runner.settings()).contains(task)) {
      Instant started = clock.instant();
      BackboneFeatures features = features(event, checkpoint, viewOf(checkpoint), EnumSet.noneOf(Tap.class));
      SimilarityTopK.Neighbours neighbours = runner.knnShard(features, shard.get());
      cache.prune();
      return new TaskOutcome(result(event, List.of(), started), neighbours);
    }
    Set<Tap> extract = EnumSet.copyOf(runner.settings().taps());
    extract.addAll(alsoExtract);
    return new TaskOutcome(evaluate(event, checkpoint, runner.forTask(task), extract), null);
  }

  /** Rows of every task merged into the result one evaluation of the whole benchmark gives. */
  public List<EvalRow> mergeTasks(java.util.Map<String, List<EvalRow>> rowsByTask) {
    return TaskSplit.merge(runner.settings(), rowsByTask);
  }

  /** The kNN rows of every train shard's neighbour lists, merged ({@code TopKMerge}). */
  public List<EvalRow> knnRows(SimilarityTopK.Neighbours merged) {
    return runner.knnRows(merged, dataset);
  }

  /** What one task gives: its result (rows and metadata), and for a kNN train shard its lists. */
  public record TaskOutcome(EvalResult result, SimilarityTopK.Neighbours neighbours) {}

  private EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint, BenchmarkRunner with,
      Set<Tap> extract) throws IOException, InterruptedException {
    Instant started = clock.instant();
    Preprocessing checkpointView = viewOf(checkpoint);
    List<EvalRow> rows;
    if (BlockEvaluation.handles(runner.settings().kind())) {
      rows = BlockEvaluation.rows(runner.settings(), reader, checkpoint, event.getSha256(), dataset,
          checkpointView, batchSize);
    } else if (linear != null) {
      rows = streamedLinear(event, checkpoint, checkpointView);
    } else {
      rows = with.run(features(event, checkpoint, checkpointView, extract));
      cache.prune();
    }
    return result(event, rows, started);
  }

  private Preprocessing viewOf(VerifiedCheckpoint checkpoint) {
    return view != null ? view : Preprocessing.forDataset(dataset, checkpoint.manifest().spec().inputSize());
  }

  private EvalResult result(CheckpointEvent event, List<EvalRow> rows, Instant started) {
    return EvalResult.newBuilder()
        .setCheckpointId(event.getCheckpointId())
        .setRunId(event.getRunId())
        .setStep(event.getStep())
        .setBenchmark(benchmark())
        .setDataset(dataset.name())
        .setRows(rows)
        .setStartedAt(started)
        .setFinishedAt(clock.instant())
        .setEvaluatorVersion(evaluatorVersion)
        .build();
  }

  private BackboneFeatures features(CheckpointEvent event, VerifiedCheckpoint checkpoint, Preprocessing checkpointView,
      Set<Tap> extract) {
    FeatureCache.Group group = new FeatureCache.Group(
        checkpoint.manifestSha256(), dataset.name(), dataset.fingerprint(), checkpointView.describe());
    return new BackboneFeatures(cache, group, dataset, () -> open(event, checkpoint, checkpointView), extract);
  }

  /** linear-mhead / linear-avgpool: the heads train on fresh views through the loaded backbone. */
  private List<EvalRow> streamedLinear(CheckpointEvent event, VerifiedCheckpoint checkpoint, Preprocessing checkpointView)
      throws IOException, InterruptedException {
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded;
      try {
        loaded = reader.load(checkpoint.location(), null, event.getSha256(), manager);
      } catch (CheckpointException e) {
        throw new CheckpointLoadException(e);
      }
      String runKey = checkpoint.manifestSha256() + "|" + dataset.name() + "|" + dataset.fingerprint();
      if (!(loaded.model().backbone() instanceof ResNet resNet)) {
        throw new IllegalArgumentException(benchmark() + " reads ResNet taps; " + checkpoint.manifest().architecture()
            + " is evaluated per block by blocks-linear / blocks-nonlinear");
      }
      return linear.run(resNet, manager, dataset, checkpointView, runKey);
    }
  }

  private BackboneFeatures.OpenedExtractor open(
      CheckpointEvent event, VerifiedCheckpoint checkpoint, Preprocessing checkpointView)
      throws CheckpointLoadException {
    return openExtractor(reader, checkpoint.location(), event.getSha256(), checkpointView, batchSize);
  }

  /**
   * Loads a checkpoint's backbone into a manager of its own and wraps it in an extractor; closing
   * the result frees both. A checkpoint that fails to load is a {@link CheckpointLoadException}.
   */
  public static BackboneFeatures.OpenedExtractor openExtractor(
      CheckpointReader reader, String location, String manifestSha256, Preprocessing view, int batchSize)
      throws CheckpointLoadException {
    NDManager manager = NDManager.newBaseManager();
    try {
      LoadedCheckpoint loaded = reader.load(location, null, manifestSha256, manager);
      FeatureExtractor extractor = FeatureExtractor.builder()
          .setBackbone(loaded.model().backbone())
          .setManager(manager)
          .optView(view)
          .optBatchSize(batchSize)
          .build();
      return BackboneFeatures.OpenedExtractor.of(extractor, manager);
    } catch (CheckpointException e) {
      manager.close();
      throw new CheckpointLoadException(e);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Settings: reader, dataset, runner and cache are required. */
  public static final class Builder {
    private CheckpointReader reader;
    private EvalDataset dataset;
    private BenchmarkRunner runner;
    private FeatureCache cache;
    private int batchSize = 64;
    private Preprocessing view;
    private String evaluatorVersion = defaultVersion();
    private Clock clock = Clock.systemUTC();
    private Set<Tap> alsoExtract = EnumSet.noneOf(Tap.class);
    private String expectedArchitecture;
    private LinearPreset linearPreset;
    private Path stateDir;
    private int saveEvery;
    private StreamedLinearBenchmark linear;

    private Builder() {}

    /** Refuse checkpoints of any other architecture (default: take whatever the manifest says). */
    public Builder optExpectedArchitecture(String architecture) {
      this.expectedArchitecture = architecture;
      return this;
    }

    /**
     * The protocol of linear-mhead / linear-avgpool (default: imagenet-mhead-90e or
     * imagenet-avgpool-100e; the runner's epoch setting, when given, overrides its epochs).
     */
    public Builder optLinearPreset(LinearPreset preset) {
      this.linearPreset = preset;
      return this;
    }

    /**
     * The evaluator's state directory, where linear-mhead / linear-avgpool save their progress
     * every epoch (and every {@code saveEvery} steps) and resume from after a restart or a move to
     * another instance; instances of a group share it (default: none, no resume).
     */
    public Builder optStateDir(Path stateDir, int saveEvery) {
      this.stateDir = stateDir;
      this.saveEvery = saveEvery;
      return this;
    }

    /**
     * Taps to extract as well when this evaluator extracts anyway, so that the other benchmarks
     * of this machine find them cached (default: none, only the benchmark's own taps).
     */
    public Builder optAlsoExtract(Set<Tap> taps) {
      this.alsoExtract = taps.isEmpty() ? EnumSet.noneOf(Tap.class) : EnumSet.copyOf(taps);
      return this;
    }

    public Builder setReader(CheckpointReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    public Builder setDataset(EvalDataset dataset) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      return this;
    }

    public Builder setRunner(BenchmarkRunner runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      return this;
    }

    public Builder setCache(FeatureCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Overrides the view derived from the dataset and the checkpoint's input size. */
    public Builder optView(Preprocessing view) {
      this.view = view;
      return this;
    }

    public Builder optEvaluatorVersion(String evaluatorVersion) {
      this.evaluatorVersion = Objects.requireNonNull(evaluatorVersion, "evaluatorVersion");
      return this;
    }

    public Builder optClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public CheckpointEvaluator build() {
      if (reader == null || dataset == null || runner == null || cache == null) {
        throw new IllegalArgumentException("a checkpoint evaluator needs reader, dataset, runner and cache");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      runner.checkDataset(dataset);
      BenchmarkSettings settings = runner.settings();
      if (settings.kind().streamedLinear()) {
        LinearPreset preset = linearPreset != null ? linearPreset : LinearPreset.protocolFor(
            settings.kind() == BenchmarkKind.LINEAR_AVGPOOL ? LinearPreset.Heads.AVGPOOL : LinearPreset.Heads.MULTI_HEAD);
        if ((preset.heads() == LinearPreset.Heads.AVGPOOL) != (settings.kind() == BenchmarkKind.LINEAR_AVGPOOL)) {
          throw new IllegalArgumentException("preset " + preset.name() + " does not train " + settings.kind().label() + " heads");
        }
        if (settings.linearEpochs() > 0) {
          preset = preset.withEpochs(settings.linearEpochs());
        }
        linear = new StreamedLinearBenchmark(preset, settings.taps(), stateDir, saveEvery, settings.seed(), settings.threads());
        linear.checkDataset(dataset);
      }
      return new CheckpointEvaluator(this);
    }

    private static String defaultVersion() {
      String version = CheckpointEvaluator.class.getPackage().getImplementationVersion();
      return version != null ? version : "dev";
    }
  }
}
