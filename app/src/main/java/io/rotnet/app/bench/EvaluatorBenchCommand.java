package io.rotnet.app.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.perf.EventToResultsTiming;
import io.rotnet.evaluator.perf.ExtractionTiming;
import io.rotnet.evaluator.perf.ExtractionVsTorch;
import io.rotnet.evaluator.perf.FidelityReport;
import io.rotnet.evaluator.perf.KnnPartsTiming;
import io.rotnet.evaluator.perf.KnnScaleTiming;
import io.rotnet.evaluator.perf.KnnTiming;
import io.rotnet.evaluator.perf.SvmTiming;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Benchmark P5 of the evaluator: kNN at full scale (Java search against the engine's matrix
 * product), feature-extraction throughput (every tap against AvgPool only), and the time from a
 * checkpoint event to all demo results on an embedded broker.
 */
@Command(
    name = "evaluator",
    mixinStandardHelpOptions = true,
    subcommands = EvaluatorBenchCommand.Fidelity.class,
    description = {
      "P5: kNN time for 60,000 x 2,048 train features against 10,000 queries (Java top-k search vs"
          + " the engine's matmul+topK), feature-extraction img/s (all taps vs avgpool only), and"
          + " checkpoint event -> all demo results on an embedded broker.",
      "knn-scale (not in the default parts): kNN over 1,300,000 x 2,048 sharded train features (about 10 GB"
          + " in a scratch directory, deleted after) against 1,000 queries, checked against brute force.",
      "knn-parts (not in the default parts): split kNN's parts channel at ImageNet's size, 50,000 queries' top-200"
          + " lists from --knn-parts-tasks train-shard tasks, as Avro parts, merged and checked.",
      "extraction-vs-torch (not in the default parts): P7, extraction img/s (avgpool, all taps) over the PyTorch"
          + " forward of the same network (--torch-anchor), in alternating rounds.",
      "'fidelity' compares a pretrained checkpoint with a random network (the fidelity figure)."
    })
public final class EvaluatorBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--parts", split = ",", paramLabel = "PART", defaultValue = "knn,extraction,end-to-end",
      description = "Which measurements to run (default: ${DEFAULT-VALUE}; also svm-sklearn, P9).")
  Set<String> parts;

  @Option(names = "--knn-train", paramLabel = "N", defaultValue = "60000", description = "kNN train rows (default: ${DEFAULT-VALUE}).")
  int knnTrain;

  @Option(names = "--knn-queries", paramLabel = "N", defaultValue = "10000", description = "kNN queries (default: ${DEFAULT-VALUE}).")
  int knnQueries;

  @Option(names = "--knn-dims", paramLabel = "N", defaultValue = "2048", description = "Feature length (default: ${DEFAULT-VALUE}).")
  int knnDims;

  @Option(names = "--no-engine-reference", description = "Skip the engine's matmul+topK reference run.")
  boolean noEngineReference;

  @Option(names = "--knn-scale-train", paramLabel = "N", defaultValue = "1300000",
      description = "knn-scale: train rows, written to a sharded feature file (default: ${DEFAULT-VALUE}, ImageNet's size).")
  long knnScaleTrain;

  @Option(names = "--knn-parts-tasks", paramLabel = "N", defaultValue = "4",
      description = "knn-parts: train-shard tasks (default: ${DEFAULT-VALUE}).")
  int knnPartsTasks;

  @Option(names = "--knn-scale-queries", paramLabel = "N", defaultValue = "1000", description = "knn-scale: queries (default: ${DEFAULT-VALUE}).")
  int knnScaleQueries;

  @Option(names = "--knn-scale-check", paramLabel = "N", defaultValue = "16",
      description = "knn-scale: queries checked against brute force (default: ${DEFAULT-VALUE}).")
  int knnScaleCheck;

  @Option(names = "--knn-scale-search", paramLabel = "engine|java", defaultValue = "engine",
      description = "knn-scale: per-shard search (default: ${DEFAULT-VALUE}).")
  String knnScaleSearch;

  @Option(names = "--torch-python", paramLabel = "PATH", defaultValue = "python3",
      description = "extraction-vs-torch: Python with torch (default: ${DEFAULT-VALUE}).")
  Path torchPython;

  @Option(names = "--torch-anchor", paramLabel = "SCRIPT",
      description = "extraction-vs-torch: the PyTorch anchor script (torch_resnet_train.py).")
  Path torchAnchor;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "2",
      description = "extraction-vs-torch and svm-sklearn: alternating rounds of each side (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--extract-arch", paramLabel = "ARCH", defaultValue = "resnet50",
      description = "Backbone of the extraction timing (default: ${DEFAULT-VALUE}).")
  String extractArch;

  @Option(names = "--extract-input", paramLabel = "PX", defaultValue = "224", description = "Input side (default: ${DEFAULT-VALUE}).")
  int extractInput;

  @Option(names = "--extract-images", paramLabel = "N", defaultValue = "128", description = "Images per pass (default: ${DEFAULT-VALUE}).")
  int extractImages;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Inference batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--dataset", paramLabel = "[NAME=]FORMAT:PATH", defaultValue = "fashion-mnist=idx:data/fashion-mnist-mini",
      description = "Images of the extraction timing and the end-to-end demo (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--demo-arch", paramLabel = "ARCH", defaultValue = "resnet18-w16",
      description = "Backbone of the end-to-end demo checkpoint (default: ${DEFAULT-VALUE}, the tiny CPU preset).")
  String demoArch;

  @Option(names = "--demo-input", paramLabel = "PX", defaultValue = "32", description = "Its input side (default: ${DEFAULT-VALUE}).")
  int demoInput;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Linear-probe epochs of the demo (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Checkpoints and feature cache of the demo (default: a temporary directory).")
  Path workDir;

  @Option(names = "--svm-features", paramLabel = "DIR",
      description = "svm-sklearn (P9): a feature-cache entry of --dataset (train/ and test/ featureN.feat).")
  Path svmFeatures;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
      description = "svm-sklearn: a Python with scikit-learn (default: ${DEFAULT-VALUE}).")
  Path python;


  @Option(names = "--svm-threads", paramLabel = "N", defaultValue = "1",
      description = "svm-sklearn: our worker threads; scikit-learn's liblinear uses one (default: ${DEFAULT-VALUE}).")
  int svmThreads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "cores=%d max_heap_mb=%d%n", Parallel.defaultThreads(), Runtime.getRuntime().maxMemory() >> 20);
    if (parts.contains("knn")) {
      KnnTiming.Result knn = KnnTiming.run(knnTrain, knnQueries, knnDims, 10, !noEngineReference, 0);
      knn.lines().forEach(out::println);
      out.printf(Locale.ROOT, "knn_java_s=%.1f%n", knn.javaSeconds());
      if (!noEngineReference) {
        out.printf(Locale.ROOT, "knn_engine_s=%.1f%nknn_engine_over_java=%.2f%n", knn.torchSeconds(), knn.ratio());
      }
      out.flush();
    }
    if (parts.contains("knn-scale")) {
      Path scratch = Files.createTempDirectory(workDir != null ? Files.createDirectories(workDir) : Path.of(System.getProperty("java.io.tmpdir")),
          "rotnet-knn-scale-");
      try {
        KnnScaleTiming.Result scale = KnnScaleTiming.run(scratch, knnScaleTrain, knnScaleQueries, knnDims, 1000,
            !"java".equals(knnScaleSearch), knnScaleCheck, 0);
        scale.lines().forEach(out::println);
        out.printf(Locale.ROOT, "knn_scale_search_s=%.1f%nknn_scale_peak_rss_mib=%d%nknn_scale_mismatches=%d%n",
            scale.searchSeconds(), scale.peakRssMiB(), scale.mismatches());
      } finally {
        deleteRecursively(scratch);
      }
      out.flush();
    }
    if (parts.contains("knn-parts")) {
      KnnPartsTiming.Result split = KnnPartsTiming.run(1_281_167, 50_000, 200, knnPartsTasks, 1000);
      split.lines().forEach(out::println);
      out.printf(Locale.ROOT, "knn_parts_merge_s=%.1f%nknn_parts_peak_rss_mib=%d%nknn_parts_mismatches=%d%n",
          split.mergeSeconds(), split.peakRssMiB(), split.mismatches());
      out.flush();
    }
    EvalDataset data = null;
    if (parts.contains("extraction") || parts.contains("extraction-vs-torch") || parts.contains("end-to-end")
        || parts.contains("svm-sklearn")) {
      data = DatasetSpec.parse(dataset).open();
    }
    if (parts.contains("svm-sklearn")) {
      if (svmFeatures == null) {
        throw new IllegalArgumentException("--parts svm-sklearn needs --svm-features DIR");
      }
      Path script = Path.of(System.getenv().getOrDefault("ROTNET_HOME", "."), "evaluator/src/test/python/svm_golden.py");
      List<SvmTiming.Round> svm = SvmTiming.run(svmFeatures, data, python, script, rounds, svmThreads);
      SvmTiming.lines(svm).forEach(out::println);
      out.flush();
    }
    if (parts.contains("extraction")) {
      ExtractionTiming.Result extraction = ExtractionTiming.run(
          ModelSpec.of(extractArch, extractInput), data.test(), extractImages, batch);
      extraction.lines().forEach(out::println);
      out.printf(Locale.ROOT, "extract_all_taps_img_s=%.1f%nextract_avgpool_img_s=%.1f%n",
          extraction.allTapsPerSecond(), extraction.avgPoolPerSecond());
      out.flush();
    }
    if (parts.contains("extraction-vs-torch")) {
      if (torchAnchor == null) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "extraction-vs-torch needs --torch-anchor");
      }
      ExtractionVsTorch.Result p7 = ExtractionVsTorch.run(ModelSpec.of(extractArch, extractInput), data.test(),
          extractImages, batch, rounds, torchPython, torchAnchor, Parallel.defaultThreads());
      p7.lines().forEach(out::println);
      out.printf(Locale.ROOT, "p7_avgpool_over_torch=%.2f%np7_all_taps_over_torch=%.2f%n", p7.avgPoolRatio(),
          p7.allTapsRatio());
      out.flush();
    }
    if (parts.contains("end-to-end")) {
      Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("rotnet-bench-evaluator-");
      try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
        EventToResultsTiming.Result e2e = EventToResultsTiming.run(stack.bootstrapServers(), stack.schemaRegistryUrl(),
            data, ModelSpec.of(demoArch, demoInput), demoBenchmarks(), batch, dir, Duration.ofMinutes(30));
        e2e.lines().forEach(out::println);
        out.printf(Locale.ROOT, "event_to_all_results_s=%.1f%n", e2e.totalSeconds());
      } finally {
        if (workDir == null) {
          deleteRecursively(dir);
        }
      }
      out.flush();
    }
    return 0;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The demo set: every benchmark, with short probes; the SVMs on the reference's 19-cost grid. */
  private List<BenchmarkSettings> demoBenchmarks() {
    return List.of(
        BenchmarkSettings.defaults(BenchmarkKind.KNN),
        BenchmarkSettings.defaults(BenchmarkKind.LINEAR_AVGPOOL_CACHED).withLinearEpochs(epochs),
        BenchmarkSettings.defaults(BenchmarkKind.LINEAR_MHEAD_CACHED).withLinearEpochs(epochs),
        BenchmarkSettings.defaults(BenchmarkKind.SVM),
        BenchmarkSettings.defaults(BenchmarkKind.LOWSHOT_SVM).withLowShot(new int[] {1, 2, 4, 8, 16}, 5));
  }

  /** The fidelity figure: a pretrained checkpoint against a random network of its architecture. */
  @Command(
      name = "fidelity",
      mixinStandardHelpOptions = true,
      description = "kNN, linear-avgpool and linear-mhead top-1 of a pretrained checkpoint next to a"
          + " random initialisation of the same architecture; prints a Markdown table.")
  static final class Fidelity implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint-root", required = true, paramLabel = "DIR", description = "The trainer's checkpoint root.")
    Path checkpointRoot;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN/step-N",
        description = "The checkpoint, relative to the root.")
    String checkpoint;

    @Option(names = "--dataset", paramLabel = "[NAME=]FORMAT:PATH",
        defaultValue = "fashion-mnist=idx:/usr/share/datasets/fashion-mnist",
        description = "Benchmark dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--max-train", paramLabel = "N", defaultValue = "0", description = "Training subset (default: all).")
    int maxTrain;

    @Option(names = "--max-test", paramLabel = "N", defaultValue = "0", description = "Test subset (default: all).")
    int maxTest;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Linear-probe epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Inference batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}/rotnet-features",
        description = "Feature cache (default: ${DEFAULT-VALUE}).")
    Path cacheDir;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random network (default: ${DEFAULT-VALUE}).")
    int seed;

    @Override
    public Integer call() throws Exception {
      CheckpointReader reader = new CheckpointReader(checkpointRoot);
      VerifiedCheckpoint verified = reader.verify(checkpoint, null);
      EvalDataset data = DatasetSpec.parse(dataset).withLimits(maxTrain, maxTest).open();
      List<FidelityReport.Line> lines = new FidelityReport(reader, verified, data, new FeatureCache(cacheDir),
          epochs, batch, seed, Parallel.defaultThreads()).run();
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%s (%s, step %d) on %s, %d train / %d test images, %d probe epochs%n%n",
          verified.location(), verified.manifest().architecture(), verified.manifest().step(), data.name(),
          data.train().size(), data.test().size(), epochs);
      out.print(FidelityReport.markdown(lines, "pretrained"));
      out.flush();
      return 0;
    }
  }
}
