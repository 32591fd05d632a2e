package io.rotnet.evaluator.run;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.features.FeatureExtractor;
import io.rotnet.model.Tap;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates one announced checkpoint with one benchmark on one dataset: verifies it (inside the
 * checkpoint root, manifest sha256 as announced, every file's sha256), takes its features from
 * the cache or extracts them with the frozen backbone, runs the benchmark and builds the
 * {@link EvalResult}. Stateless between checkpoints apart from the cache on disk.
 */
public final class CheckpointEvaluator {
  private final CheckpointReader reader;
  private final EvalDataset dataset;
  private final BenchmarkRunner runner;
  private final FeatureCache cache;
  private final int batchSize;
  private final Preprocessing view;
  private final String evaluatorVersion;
  private final Clock clock;
  private final Set<Tap> alsoExtract;

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
  }

  public static Builder builder() {
    return new Builder();
  }

  public String benchmark() {
    return runner.settings().kind().label();
  }

  public String datasetName() {
    return dataset.name();
  }

  /** The result key: {@code <checkpointId>/<benchmark>/<dataset>}. */
  public String resultKey(String checkpointId) {
    return checkpointId + "/" + benchmark() + "/" + datasetName();
  }

  /** Verifies the announced checkpoint; the exception names what failed. */
  public VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException {
    return reader.verify(event.getUri(), event.getSha256());
  }

  /** Runs the benchmark on a verified checkpoint. */
  public EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint)
      throws IOException, InterruptedException {
    Instant started = clock.instant();
    Preprocessing checkpointView = view != null ? view : Preprocessing.forInputSize(checkpoint.manifest().spec().inputSize());
    if (BlockEvaluation.handles(runner.settings().kind())) {
      List<EvalRow> rows = BlockEvaluation.rows(runner.settings(), reader, checkpoint, event.getSha256(), dataset,
          checkpointView, batchSize);
      return result(event, rows, started);
    }
    FeatureCache.Group group = new FeatureCache.Group(
        checkpoint.manifestSha256(), dataset.name(), dataset.fingerprint(), checkpointView.describe());
    BackboneFeatures features = new BackboneFeatures(
        cache, group, dataset, () -> open(event, checkpoint, checkpointView), alsoExtract);
    List<EvalRow> rows = runner.run(features);
    return result(event, rows, started);
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
      return new BackboneFeatures.OpenedExtractor() {
        @Override
        public FeatureExtractor extractor() {
          return extractor;
        }

        @Override
        public void close() {
          manager.close();
        }
      };
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

    private Builder() {}

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

    /** Overrides the view derived from the checkpoint's input size. */
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
      return new CheckpointEvaluator(this);
    }

    private static String defaultVersion() {
      String version = CheckpointEvaluator.class.getPackage().getImplementationVersion();
      return version != null ? version : "dev";
    }
  }
}
