package io.rotnet.evaluator.run;

import io.rotnet.evaluator.benchmark.EngineNeighbourSearch;
import io.rotnet.evaluator.benchmark.KnnBenchmark;
import io.rotnet.evaluator.benchmark.KnnResult;
import io.rotnet.evaluator.benchmark.LinearProbe;
import io.rotnet.evaluator.benchmark.LowShotResult;
import io.rotnet.evaluator.benchmark.LowShotSamples;
import io.rotnet.evaluator.benchmark.LowShotSvmBenchmark;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.benchmark.ProbeResult;
import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.evaluator.benchmark.SvmBenchmark;
import io.rotnet.evaluator.benchmark.SvmResult;
import io.rotnet.evaluator.benchmark.TapFeatures;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.model.Tap;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one benchmark on the cached features of one backbone and turns its outcome into result
 * rows. Taps are loaded one at a time (at most {@code threads} at once for the probes), so memory
 * holds one tap's train and test matrices per worker, not all of them.
 *
 * <p>Rows (values in percent):
 *
 * <ul>
 *   <li>svm: {@code (featureN, mAP)} per tap and {@code (best:featureN, mAP)};
 *   <li>lowshot-svm: {@code (featureN/k=K, mAP-mean | mAP-min | mAP-max | mAP-std)};
 *   <li>linear-mhead-cached, linear-avgpool-cached: {@code (tap, top1 | top5)} (the streamed
 *       linear-mhead and linear-avgpool need the backbone and run in {@link CheckpointEvaluator});
 *   <li>knn: {@code (k=K, top1 | top5)}.
 * </ul>
 */
public final class BenchmarkRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRunner.class);

  private final BenchmarkSettings settings;
  private final Path lowShotSamples;

  public BenchmarkRunner(BenchmarkSettings settings) {
    this(settings, null);
  }

  /**
   * @param lowShotSamples a directory of the reference's low-shot sample files ({@link
   *     LowShotSamples}) that lowshot-svm trains on instead of its own seeded draws; null for none
   */
  public BenchmarkRunner(BenchmarkSettings settings, Path lowShotSamples) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lowShotSamples = lowShotSamples;
  }

  public BenchmarkSettings settings() {
    return settings;
  }

  /** The runner of one task of this benchmark ({@link TaskSplit}): the same benchmark on its share. */
  public BenchmarkRunner forTask(String task) {
    return new BenchmarkRunner(TaskSplit.settingsOf(settings, task));
  }

  /** Checks that the dataset suits the benchmark (before any checkpoint is evaluated). */
  public void checkDataset(EvalDataset dataset) {
    if (settings.kind().needsSingleLabel() && !dataset.singleLabel()) {
      throw new DatasetException(
          settings.kind().label() + " needs one label per image; " + dataset.name() + " is multi-label (use svm or lowshot-svm)");
    }
  }

  /** Extracts what is missing, then runs the benchmark. */
  public List<EvalRow> run(BackboneFeatures features) throws IOException, InterruptedException {
    if (settings.kind().streamedLinear()) {
      throw new IllegalStateException(settings.kind().label() + " trains through the backbone, not on cached features");
    }
    checkDataset(features.dataset());
    features.prepare(settings.taps());
    EvalDataset dataset = features.dataset();
    switch (settings.kind()) {
      case SVM:
        return svm(features, dataset);
      case LOWSHOT_SVM:
        return lowShot(features, dataset);
      case LINEAR_MHEAD_CACHED:
      case LINEAR_AVGPOOL_CACHED:
        return linear(features, dataset);
      case KNN:
        return knn(features, dataset);
      default:
        throw new IllegalStateException("unhandled benchmark " + settings.kind());
    }
  }

  private List<EvalRow> svm(BackboneFeatures features, EvalDataset dataset) throws IOException {
    SvmBenchmark svm = SvmBenchmark.builder().optCosts(settings.svmCosts()).optThreads(settings.threads()).build();
    List<SvmResult.TapScore> scores = new ArrayList<>();
    for (Tap tap : settings.taps()) {
      TapFeatures tapFeatures = features.load(tap);
      SvmResult.TapScore score = svm.evaluateTap(tapFeatures, dataset.train().targets(), dataset.test().targets());
      LOG.info("svm {} {}: mAP {}", dataset.name(), tap.label(), percent(score.meanAp()));
      scores.add(score);
    }
    List<EvalRow> rows = new ArrayList<>();
    for (SvmResult.TapScore score : scores) {
      rows.add(row(score.tap(), "mAP", 100 * score.meanAp()));
    }
    SvmResult.TapScore best = new SvmResult(scores).best();
    rows.add(row("best:" + best.tap(), "mAP", 100 * best.meanAp()));
    return rows;
  }

  private List<EvalRow> lowShot(BackboneFeatures features, EvalDataset dataset) throws IOException {
    LowShotSvmBenchmark.Builder builder = LowShotSvmBenchmark.builder()
        .optShots(settings.lowShotShots()).optSamples(settings.lowShotSamples())
        .optCosts(settings.lowShotCosts()).optSeed(settings.seed()).optThreads(settings.threads());
    if (lowShotSamples != null) {
      builder.optReferenceSamples(LowShotSamples.read(lowShotSamples, imageIds(dataset), dataset.train().classNames()));
    }
    LowShotSvmBenchmark lowShot = builder.build();
    List<EvalRow> rows = new ArrayList<>();
    for (Tap tap : settings.taps()) {
      LowShotResult result = lowShot.evaluateTap(features.load(tap), dataset.train().targets(), dataset.test().targets());
      for (LowShotResult.ShotScore shot : result.shots()) {
        String name = tap.label() + "/k=" + shot.k();
        rows.add(row(name, "mAP-mean", 100 * shot.mean()));
        rows.add(row(name, "mAP-min", 100 * shot.min()));
        rows.add(row(name, "mAP-max", 100 * shot.max()));
        rows.add(row(name, "mAP-std", 100 * shot.std()));
      }
      LOG.info("lowshot-svm {} {}: {}", dataset.name(), tap.label(), result.shots().stream()
          .map(s -> "k=" + s.k() + " " + percent(s.mean())).toList());
    }
    return rows;
  }

  /** Training image ids as the reference's sample files name them: file names without extension. */
  private static List<String> imageIds(EvalDataset dataset) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < dataset.train().size(); i++) {
      String name = Path.of(dataset.train().images().describe(i)).getFileName().toString();
      int dot = name.lastIndexOf('.');
      ids.add(dot > 0 ? name.substring(0, dot) : name);
    }
    return ids;
  }

  private List<EvalRow> linear(BackboneFeatures features, EvalDataset dataset) {
    int epochs = settings.effectiveLinearEpochs();
    LinearProbe.Builder builder = settings.kind() == BenchmarkKind.LINEAR_AVGPOOL_CACHED
        ? LinearProbe.avgPool(epochs) : LinearProbe.multiHead(epochs);
    LinearProbe probe = builder.optBatchSize(settings.linearBatchSize()).optSeed(settings.seed()).optThreads(1).build();
    List<Tap> taps = new ArrayList<>(settings.taps());
    ProbeResult[] results = new ProbeResult[taps.size()];
    int[] trainLabels = dataset.train().labels();
    int[] testLabels = dataset.test().labels();
    // taps in parallel, each loaded inside its task: memory holds `threads` taps at most
    Parallel.forEach(taps.size(), settings.threads(), t -> {
      try {
        TapFeatures tap = features.load(taps.get(t));
        results[t] = probe.train(tap.tap(), tap.train(), trainLabels, tap.test(), testLabels, dataset.classCount());
        LOG.info("{} {} {}: top-1 {} after {} epochs", settings.kind().label(), dataset.name(), tap.tap(),
            String.format(java.util.Locale.ROOT, "%.2f", results[t].top1()), epochs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    List<EvalRow> rows = new ArrayList<>();
    for (ProbeResult result : results) {
      rows.add(row(result.tap(), "top1", result.top1()));
      rows.add(row(result.tap(), "top5", result.top5()));
    }
    return rows;
  }

  private List<EvalRow> knn(BackboneFeatures features, EvalDataset dataset) throws IOException {
    // the train bank shard by shard (ImageNet's does not fit one array), the queries whole
    List<KnnResult> results = knnBenchmark().evaluate(features.shards(Tap.AVGPOOL, "train"), dataset.train().labels(),
        features.shards(Tap.AVGPOOL, "test").readAll(), dataset.test().labels(), dataset.classCount());
    return knnRows(results, dataset);
  }

  /**
   * A kNN train-shard task: every query's top-max(k) among the shard's train rows, with global
   * train indices. Only those rows are extracted (unless the whole train split is cached), and
   * every query.
   */
  public SimilarityTopK.Neighbours knnShard(BackboneFeatures features, TaskSplit.TrainShard shard)
      throws IOException, InterruptedException {
    if (settings.kind() != BenchmarkKind.KNN) {
      throw new IllegalStateException(settings.kind().label() + " has no train shards");
    }
    EvalDataset dataset = features.dataset();
    checkDataset(dataset);
    int rows = dataset.train().size();
    int first = Math.toIntExact(shard.first(rows));
    int end = Math.toIntExact(shard.end(rows));
    var train = features.trainRows(Tap.AVGPOOL, first, end);
    var test = features.preparePart("test", dataset.test().images(), Tap.AVGPOOL).readAll();
    SimilarityTopK.Neighbours neighbours = knnBenchmark().neighbours(train, test).offset(first);
    LOG.info("knn {} {}: train rows {}..{} searched for {} queries", dataset.name(), shard.task(), first, end - 1,
        test.rows());
    return neighbours;
  }

  /** The kNN rows of the (merged) neighbour lists of every query: the vote and its accuracies. */
  public List<EvalRow> knnRows(SimilarityTopK.Neighbours neighbours, EvalDataset dataset) {
    if (neighbours.queries() != dataset.test().size()) {
      throw new IllegalArgumentException(neighbours.queries() + " queries' neighbours for " + dataset.test().size()
          + " test images");
    }
    return knnRows(knnBenchmark().score(neighbours, dataset.train().labels(), dataset.test().labels(),
        dataset.classCount()), dataset);
  }

  private static List<EvalRow> knnRows(List<KnnResult> results, EvalDataset dataset) {
    List<EvalRow> rows = new ArrayList<>();
    for (KnnResult result : results) {
      rows.add(row("k=" + result.k(), "top1", result.top1()));
      rows.add(row("k=" + result.k(), "top5", result.top5()));
    }
    LOG.info("knn {}: {}", dataset.name(), results);
    return Collections.unmodifiableList(rows);
  }

  private KnnBenchmark knnBenchmark() {
    KnnBenchmark.Builder knn = KnnBenchmark.builder()
        .optKs(settings.knnKs()).optTemperature(settings.knnTemperature()).optThreads(settings.threads());
    if (settings.knnOnEngine()) {
      knn.optSearch(new EngineNeighbourSearch());
    }
    return knn.build();
  }

  private static EvalRow row(String tap, String metric, double value) {
    return EvalRow.newBuilder().setTap(tap).setMetric(metric).setValue(value).build();
  }

  private static String percent(double fraction) {
    return String.format(java.util.Locale.ROOT, "%.2f", 100 * fraction);
  }
}
