package io.rotnet.app.bench;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.linear.LinearPreset;
import io.rotnet.evaluator.linear.LinearThroughput;
import io.rotnet.evaluator.linear.StreamedLinearBenchmark;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.EvalRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The figures of the streamed linear evaluation. */
@Command(
    name = "linear",
    mixinStandardHelpOptions = true,
    description = "Streamed linear evaluation: throughput against the backbone alone, and cached against streamed top-1.",
    subcommands = {LinearBenchCommand.Throughput.class, LinearBenchCommand.CachedVersusStreamed.class})
public final class LinearBenchCommand implements Runnable {
  static final int IMAGENET_TRAIN = 1_281_167;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Streamed img/s over inference img/s in alternating rounds, and the projected protocol times. */
  @Command(name = "throughput", mixinStandardHelpOptions = true,
      description = "Alternating rounds of the backbone's inference alone and one streamed epoch over the same"
          + " images (synthetic JPEGs), same device and batch; per-image costs and projected protocol times.")
  static final class Throughput implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--preset", defaultValue = "imagenet-mhead-90e", description = "Protocol (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--arch", defaultValue = "resnet50", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input-size", defaultValue = "224", description = "Input side (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--batch", defaultValue = "32", description = "Batch of both measurements (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--heads-batch", defaultValue = "256",
        description = "Batch of the separate heads measurement (default: ${DEFAULT-VALUE}, the protocol's).")
    int headsBatch;

    @Option(names = "--images", defaultValue = "96", description = "Images per round (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--classes", defaultValue = "1000", description = "Classes of the heads (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--workers", defaultValue = "0", description = "View threads (default 0: all cores).")
    int workers;

    @Option(names = "--node-cores", defaultValue = "16", description = "Cores of the projected nodes (default: ${DEFAULT-VALUE}).")
    int nodeCores;

    @Option(names = "--gpu-inference", defaultValue = "5000",
        description = "Assumed ResNet-50 inference img/s of one GPU for the projection (default: ${DEFAULT-VALUE}).")
    double gpuInference;

    @Override
    public Integer call() throws Exception {
      LinearPreset protocol = LinearPreset.require(preset).withBatchSize(batch);
      int threads = workers > 0 ? workers : Parallel.defaultThreads();
      LinearThroughput.Figures f = new LinearThroughput(protocol, ModelSpec.of(arch, inputSize), images, classes,
          500, 375, rounds, threads, headsBatch).measure();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s, %s at %d px, batch %d, %d classes, %d images x %d rounds, %d cores here%n%n",
          protocol.name(), arch, inputSize, batch, classes, images, rounds, Runtime.getRuntime().availableProcessors());
      out.printf(Locale.ROOT, "| measurement | value |%n|---|---:|%n");
      out.printf(Locale.ROOT, "| backbone inference alone, img/s (rounds %s) | %.2f |%n", rounds(f.inferenceRounds()), f.inferenceImagesPerSecond());
      out.printf(Locale.ROOT, "| streamed evaluation, img/s (rounds %s) | %.2f |%n", rounds(f.streamedRounds()), f.streamedImagesPerSecond());
      out.printf(Locale.ROOT, "| streamed / inference alone | %.3f |%n", f.ratio());
      out.printf(Locale.ROOT, "| decode + training view, ms per image on one core | %.2f |%n", 1e3 * f.viewSecondsPerImageOneCore());
      out.printf(Locale.ROOT, "| heads (BN + SGD step), ms per image on the engine, batch %d | %.3f |%n", batch,
          1e3 * f.headsSecondsPerImage());
      out.printf(Locale.ROOT, "| heads (BN + SGD step), ms per image on the engine, batch %d | %.3f |%n", headsBatch,
          1e3 * f.headsSecondsPerImageAtHeadsBatch());
      // CPU node: backbone, heads and views share the cores; the engine used every core here
      int here = Runtime.getRuntime().availableProcessors();
      double cpuSecondsPerImage = here / f.inferenceImagesPerSecond() + here * f.headsSecondsPerImageAtHeadsBatch()
          + f.viewSecondsPerImageOneCore();
      double cpuNode = nodeCores / cpuSecondsPerImage;
      // GPU: the device runs backbone and heads (heads scaled by the measured share), the node's cores the views
      double headShare = f.headsSecondsPerImageAtHeadsBatch() * f.inferenceImagesPerSecond();
      double gpu = Math.min(gpuInference / (1 + headShare), nodeCores / f.viewSecondsPerImageOneCore());
      out.printf(Locale.ROOT, "%n| projected (%d train images per epoch, %d epochs) | img/s | per epoch | whole protocol |%n"
          + "|---|---:|---:|---:|%n", IMAGENET_TRAIN, protocol.epochs());
      out.print(projection(nodeCores + "-core CPU node", cpuNode, protocol.epochs()));
      out.print(projection("one GPU (" + (int) gpuInference + " img/s inference assumed) + " + nodeCores + " cores", gpu,
          protocol.epochs()));
      out.flush();
      return 0;
    }

    private static String projection(String where, double imagesPerSecond, int epochs) {
      double epochHours = IMAGENET_TRAIN / imagesPerSecond / 3600;
      return String.format(Locale.ROOT, "| %s | %.0f | %.1f h | %.1f days |%n", where, imagesPerSecond, epochHours,
          epochHours * epochs / 24);
    }

    private static String rounds(double[] values) {
      StringBuilder text = new StringBuilder();
      for (double v : values) {
        text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
      }
      return text.toString();
    }
  }

  /** Top-1 per tap of the cached approximation and of the streamed protocol, one checkpoint. */
  @Command(name = "cached-vs-streamed", mixinStandardHelpOptions = true,
      description = "Top-1 per tap of linear-*-cached and of the streamed linear-* for one checkpoint, same preset"
          + " values (epochs, milestones, batch, SGD); prints a Markdown table.")
  static final class CachedVersusStreamed implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint-root", required = true, description = "The trainer's checkpoint root.")
    Path checkpointRoot;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN/step-N", description = "Relative to the root.")
    String checkpoint;

    @Option(names = "--dataset", required = true, paramLabel = "[NAME=]FORMAT:PATH", description = "e.g. cifar10=imagefolder:DIR.")
    String dataset;

    @Option(names = "--preset", defaultValue = "demo-mhead-6e", description = "Protocol (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--max-train", defaultValue = "-1", description = "Training subset (default: the preset's).")
    int maxTrain;

    @Option(names = "--max-test", defaultValue = "-1", description = "Test subset (default: the preset's).")
    int maxTest;

    @Option(names = "--cache-dir", defaultValue = "${sys:java.io.tmpdir}/rotnet-features", description = "Feature cache.")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
      LinearPreset protocol = LinearPreset.require(preset);
      EvalDataset data = DatasetSpec.parse(dataset)
          .withLimits(maxTrain >= 0 ? maxTrain : protocol.maxTrain(), maxTest >= 0 ? maxTest : protocol.maxTest()).open();
      CheckpointReader reader = new CheckpointReader(checkpointRoot);
      VerifiedCheckpoint verified = reader.verify(checkpoint, null);
      Preprocessing view = Preprocessing.forInputSize(verified.manifest().spec().inputSize());
      boolean avgpool = protocol.heads() == LinearPreset.Heads.AVGPOOL;
      int threads = Parallel.defaultThreads();

      long started = System.nanoTime();
      BenchmarkSettings cachedSettings = BenchmarkSettings.defaults(
              avgpool ? BenchmarkKind.LINEAR_AVGPOOL_CACHED : BenchmarkKind.LINEAR_MHEAD_CACHED)
          .withLinearEpochs(protocol.epochs()).withLinearBatchSize(protocol.batchSize()).withThreads(threads);
      BackboneFeatures features = new BackboneFeatures(new FeatureCache(cacheDir),
          new FeatureCache.Group(verified.manifestSha256(), data.name(), data.fingerprint(), view.describe()), data,
          () -> CheckpointEvaluator.openExtractor(reader, verified.location(), verified.manifestSha256(), view, 64));
      Map<String, Double> cached = top1(new BenchmarkRunner(cachedSettings).run(features));
      double cachedSeconds = (System.nanoTime() - started) / 1e9;

      started = System.nanoTime();
      Map<String, Double> streamed;
      try (NDManager manager = NDManager.newBaseManager()) {
        LoadedCheckpoint loaded = reader.load(verified.location(), null, verified.manifestSha256(), manager);
        StreamedLinearBenchmark benchmark = new StreamedLinearBenchmark(protocol, null, null, 0, 0, threads);
        streamed = top1(benchmark.run((ResNet) loaded.model().backbone(), manager, data, view, verified.manifestSha256()));
      }
      double streamedSeconds = (System.nanoTime() - started) / 1e9;

      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s (%s, step %d) on %s, %d train / %d test images, %s%n%n", verified.location(),
          verified.manifest().architecture(), verified.manifest().step(), data.name(), data.train().size(),
          data.test().size(), protocol);
      out.printf(Locale.ROOT, "| tap | top-1 cached (approximation) | top-1 streamed | streamed - cached |%n|---|---:|---:|---:|%n");
      for (Map.Entry<String, Double> entry : streamed.entrySet()) {
        double c = cached.getOrDefault(entry.getKey(), Double.NaN);
        out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %+.2f |%n", entry.getKey(), c, entry.getValue(), entry.getValue() - c);
      }
      out.printf(Locale.ROOT, "%nwall time: cached %.0f s (extraction + probes), streamed %.0f s%n", cachedSeconds, streamedSeconds);
      out.flush();
      return 0;
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
}
