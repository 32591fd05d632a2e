package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.Tap;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The fidelity figure: kNN, linear-avgpool and linear-mhead of a pretrained checkpoint next to a
 * randomly initialised network of the same architecture, on the same data with the same
 * settings. Self-supervised pretraining that works lifts every row above the random network and,
 * in the reference, peaks at an intermediate tap (feature4 for RotNet on ImageNet).
 */
public final class FidelityReport {
  private final CheckpointReader reader;
  private final VerifiedCheckpoint checkpoint;
  private final EvalDataset dataset;
  private final FeatureCache cache;
  private final int linearEpochs;
  private final int batch;
  private final int randomSeed;
  private final int threads;

  public FidelityReport(CheckpointReader reader, VerifiedCheckpoint checkpoint, EvalDataset dataset,
      FeatureCache cache, int linearEpochs, int batch, int randomSeed, int threads) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.linearEpochs = linearEpochs;
    this.batch = batch;
    this.randomSeed = randomSeed;
    this.threads = threads;
  }

  /** One line of the figure: a benchmark row for both networks. */
  public record Line(String benchmark, String tap, String metric, double pretrained, double random) {}

  public List<Line> run() throws IOException, InterruptedException {
    ModelSpec spec = checkpoint.manifest().spec();
    Preprocessing view = Preprocessing.forDataset(dataset, spec.inputSize());
    BackboneFeatures pretrained = new BackboneFeatures(cache,
        new FeatureCache.Group(checkpoint.manifestSha256(), dataset.name(), dataset.fingerprint(), view.describe()),
        dataset, CheckpointBackbone.factory(reader, checkpoint, view, batch),
        EnumSet.allOf(Tap.class));
    BackboneFeatures random = new BackboneFeatures(cache,
        new FeatureCache.Group(RandomBackbone.identity(spec, randomSeed), dataset.name(), dataset.fingerprint(), view.describe()),
        dataset, RandomBackbone.factory(spec, randomSeed, view, batch),
        EnumSet.allOf(Tap.class));
    List<Line> lines = new ArrayList<>();
    for (BenchmarkKind kind : List.of(BenchmarkKind.KNN, BenchmarkKind.LINEAR_AVGPOOL_CACHED, BenchmarkKind.LINEAR_MHEAD_CACHED)) {
      BenchmarkSettings settings = BenchmarkSettings.defaults(kind).withLinearEpochs(linearEpochs).withThreads(threads);
      BenchmarkRunner runner = new BenchmarkRunner(settings);
      Map<String, Double> ours = top1(runner.run(pretrained));
      Map<String, Double> theirs = top1(runner.run(random));
      for (Map.Entry<String, Double> entry : ours.entrySet()) {
        lines.add(new Line(kind.label(), entry.getKey(), "top1", entry.getValue(), theirs.getOrDefault(entry.getKey(), Double.NaN)));
      }
    }
    return lines;
  }

  /** The figure as a Markdown table. */
  public static String markdown(List<Line> lines, String checkpointName) {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | tap / k | top-1 ").append(checkpointName).append(" | top-1 random init | difference |\n");
    out.append("|---|---|---:|---:|---:|\n");
    for (Line line : lines) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %+.2f |%n",
          line.benchmark(), line.tap(), line.pretrained(), line.random(), line.pretrained() - line.random()));
    }
    return out.toString();
  }

  private static Map<String, Double> top1(List<EvalRow> rows) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (EvalRow row : rows) {
      if (row.getMetric().equals("top1")) {
        values.put(row.getTap(), row.getValue());
      }
    }
    return values;
  }
}
