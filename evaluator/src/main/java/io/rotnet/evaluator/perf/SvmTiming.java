package io.rotnet.evaluator.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.MultiLabelTargets;
import io.rotnet.evaluator.benchmark.SvmBenchmark;
import io.rotnet.evaluator.benchmark.SvmKernel;
import io.rotnet.evaluator.benchmark.SvmResult;
import io.rotnet.evaluator.benchmark.TapFeatures;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * P9: the {@code svm} benchmark against scikit-learn on the same features, cost grid and folds, in
 * alternating rounds on the same machine. The features are a feature-cache entry
 * ({@code train/featureN.feat}, {@code test/featureN.feat}) of a single-label dataset; scikit-learn
 * runs {@code evaluator/src/test/python/svm_golden.py --time} in a child process. Each round times
 * the whole sweep over the five taps (kernels included on our side).
 */
public final class SvmTiming {
  private static final List<String> TAPS = List.of("feature1", "feature2", "feature3", "feature4", "feature5");

  private SvmTiming() {}

  /**
   * One round's wall and CPU seconds and mAP per tap, for both sides. On a shared, loaded machine
   * the CPU seconds (this process's, the child's) are the fairer measure.
   */
  public record Round(double oursSeconds, double oursCpuSeconds, Map<String, Double> oursMap,
      double sklearnSeconds, double sklearnCpuSeconds, Map<String, Double> sklearnMap) {}

  public static List<Round> run(Path features, EvalDataset dataset, Path python, Path script, int rounds, int threads)
      throws IOException, InterruptedException {
    List<TapFeatures> taps = new ArrayList<>();
    for (String tap : TAPS) {
      FeatureMatrix train = FeatureFile.read(features.resolve("train").resolve(tap + ".feat"));
      FeatureMatrix test = FeatureFile.read(features.resolve("test").resolve(tap + ".feat"));
      taps.add(new TapFeatures(tap, train, test));
    }
    int[] trainLabels = dataset.train().labels();
    int[] testLabels = dataset.test().labels();
    if (trainLabels == null || testLabels == null) {
      throw new IllegalArgumentException("P9 needs a single-label dataset, " + dataset.name() + " is multi-label");
    }
    MultiLabelTargets train = MultiLabelTargets.oneVsRest(trainLabels, dataset.train().classNames());
    MultiLabelTargets test = MultiLabelTargets.oneVsRest(testLabels, dataset.test().classNames());
    Path labels = Files.createTempFile("rotnet-p9-labels", ".json");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("train", trainLabels);
    json.put("test", testLabels);
    json.put("classes", dataset.classCount());
    new ObjectMapper().writeValue(labels.toFile(), json);
    try {
      List<Round> out = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        Map<String, Double> ours = new LinkedHashMap<>();
        SvmBenchmark svm = SvmBenchmark.builder().optThreads(threads).build();
        // each round computes its kernels, as scikit-learn starts from the features
        SvmKernel.clearShared();
        for (TapFeatures tap : taps) {
          SvmResult.TapScore score = svm.evaluateTap(tap, train, test);
          ours.put(tap.tap(), score.meanAp());
        }
        double oursSeconds = (System.nanoTime() - start) / 1e9;
        double oursCpu = (processCpuNanos() - cpu) / 1e9;
        JsonNode sklearn = sklearn(python, script, features, labels);
        Map<String, Double> sklearnMap = new LinkedHashMap<>();
        sklearn.get("mAP").fields().forEachRemaining(e -> sklearnMap.put(e.getKey(), e.getValue().asDouble()));
        out.add(new Round(oursSeconds, oursCpu, ours, sklearn.get("seconds").asDouble(),
            sklearn.get("cpuSeconds").asDouble(), sklearnMap));
      }
      return out;
    } finally {
      Files.deleteIfExists(labels);
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static JsonNode sklearn(Path python, Path script, Path features, Path labels)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(python.toString(), script.toString(), "--time",
        "--features", features.toString(), "--labels", labels.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IOException("scikit-learn timing failed (exit " + process.exitValue() + "): " + stdout);
    }
    String[] lines = stdout.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  /** Lines for the report. */
  public static List<String> lines(List<Round> rounds) {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < rounds.size(); r++) {
      Round round = rounds.get(r);
      out.add(String.format(Locale.ROOT,
          "round %d: ours %.1f s (cpu %.1f s), scikit-learn %.1f s (cpu %.1f s), ratio wall %.3f cpu %.3f", r + 1,
          round.oursSeconds(), round.oursCpuSeconds(), round.sklearnSeconds(), round.sklearnCpuSeconds(),
          round.oursSeconds() / round.sklearnSeconds(), round.oursCpuSeconds() / round.sklearnCpuSeconds()));
      for (String tap : round.oursMap().keySet()) {
        out.add(String.format(Locale.ROOT, "  %s mAP ours %.4f scikit-learn %.4f", tap,
            round.oursMap().get(tap), round.sklearnMap().getOrDefault(tap, Double.NaN)));
      }
    }
    return out;
  }
}
