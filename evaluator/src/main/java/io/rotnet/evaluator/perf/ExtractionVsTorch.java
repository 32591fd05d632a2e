package io.rotnet.evaluator.perf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.features.FeatureExtractor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.model.GradMode;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.Tap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P7: feature-extraction throughput (decode, preprocessing, inference, tap pooling) against the
 * PyTorch forward of the same network on the same CPU, measured in alternating rounds: each
 * round runs the extractor on AvgPool only, then on every tap, then the PyTorch anchor script
 * (a separate process, its {@code infer} line) at the same input size and batch, twice: as a user
 * runs it, and with the allocator settings the {@code rotnet} launcher gives the JVM (when this
 * JVM has them). Ratios are against the faster of the two, medians over rounds.
 */
public final class ExtractionVsTorch {
  private static final Pattern INFER = Pattern.compile("infer (\\d+)px batch (\\d+): median ([0-9.]+) img/s");
  /** What the launcher sets so that freed activations stay in the process (see the rotnet script). */
  static final List<String> ALLOCATOR_SETTINGS =
      List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "THP_MEM_ALLOC_ENABLE");

  private ExtractionVsTorch() {}

  /** Medians (img/s) and the rounds they came from. */
  public record Result(String architecture, int inputSize, int batch, int images, double avgPool, double allTaps,
      double torch, double forwardOnly, List<double[]> rounds) {
    public double avgPoolRatio() {
      return avgPool / torch;
    }

    public double allTapsRatio() {
      return allTaps / torch;
    }

    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "extraction vs torch forward, %s at %d px, batch %d, %d images, %d rounds:",
          architecture, inputSize, batch, images, rounds.size()));
      for (int r = 0; r < rounds.size(); r++) {
        double[] round = rounds.get(r);
        lines.add(String.format(Locale.ROOT,
            "  round %d: avgpool %.1f  all taps %.1f  torch %.1f (as users run it %.1f, with our allocator settings %.1f)"
                + "  engine forward only %.1f img/s", r + 1, round[0], round[1], Math.max(round[2], round[4]), round[2],
            round[4], round[3]));
      }
      lines.add("  allocator settings of this JVM: " + allocatorSettings());
      lines.add(String.format(Locale.ROOT,
          "  median: avgpool %.1f (%.2f of torch)  all taps %.1f (%.2f)  torch %.1f  engine forward only %.1f (%.2f)",
          avgPool, avgPoolRatio(), allTaps, allTapsRatio(), torch, forwardOnly, forwardOnly / torch));
      return lines;
    }
  }

  /**
   * @param python the interpreter with torch
   * @param anchor the anchor script ({@code torch_resnet_train.py}); it runs with OMP_NUM_THREADS
   *     = {@code threads} and {@code --threads threads}
   */
  public static Result run(ModelSpec spec, DatasetSplit split, int images, int batch, int rounds, Path python,
      Path anchor, int threads) throws IOException, InterruptedException {
    int[] first = new int[Math.min(images, split.size())];
    Arrays.setAll(first, i -> i);
    DatasetSplit subset = split.subset(first);
    List<double[]> measured = new ArrayList<>();
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet backbone = (ResNet) RotNetModel.newInitialized(spec, manager).backbone();
      measure(manager, backbone, spec, subset, first, split, batch, rounds, python, anchor, threads, measured);
    }
    List<double[]> fastestTorch = measured.stream().map(r -> new double[] {Math.max(r[2], r[4])}).toList();
    return new Result(spec.architecture(), spec.inputSize(), batch, first.length, median(measured, 0),
        median(measured, 1), median(fastestTorch, 0), median(measured, 3), measured);
  }

  private static void measure(NDManager manager, ResNet backbone, ModelSpec spec, DatasetSplit subset, int[] first,
      DatasetSplit split, int batch, int rounds, Path python, Path anchor, int threads, List<double[]> measured)
      throws IOException, InterruptedException {
    try (FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(backbone).setManager(manager)
        .optBatchSize(batch).build()) {
      FeatureExtractor.BatchSink discard = (tap, values, rows) -> { };
      extractor.extract(split.subset(Arrays.copyOf(first, Math.min(batch, first.length))).images(),
          EnumSet.allOf(Tap.class), discard, "warm-up");
      for (int r = 0; r < rounds; r++) {
        double pooled = extractor.extract(subset.images(), EnumSet.of(Tap.AVGPOOL), discard, "avgpool");
        double all = extractor.extract(subset.images(), EnumSet.allOf(Tap.class), discard, "all taps");
        double torch = torchForward(python, anchor, spec.inputSize(), batch, threads, false);
        double forward = forwardOnly(manager, backbone, spec.inputSize(), batch, first.length);
        double torchTuned = allocatorSettings().isEmpty() ? torch
            : torchForward(python, anchor, spec.inputSize(), batch, threads, true);
        measured.add(new double[] {pooled, all, torch, forward, torchTuned});
      }
    }
  }

  /** The engine's forward alone on a fixed random batch, as the PyTorch script times it. */
  private static double forwardOnly(NDManager manager, ResNet backbone, int size, int batch, int images) {
    GradMode.disableOnThisThread();
    int batches = Math.max(1, images / batch);
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.randomNormal(new Shape(batch, 3, size, size));
      long started = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        try (NDManager step = scope.newSubManager()) {
          backbone.forwardPooled(new ParameterStore(step, false), input, false).toFloatArray();
        }
      }
      return (double) batches * batch / ((System.nanoTime() - started) / 1e9);
    }
  }

  /** The launcher's allocator settings this JVM runs with, {@code KEY=value} each. */
  static List<String> allocatorSettings() {
    return ALLOCATOR_SETTINGS.stream().filter(k -> System.getenv(k) != null).map(k -> k + "=" + System.getenv(k))
        .toList();
  }

  private static double torchForward(Path python, Path anchor, int size, int batch, int threads, boolean ourAllocator)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(python.toString(), anchor.toString(), "--sizes", Integer.toString(size),
        "--batch", Integer.toString(batch), "--steps", "4", "--warmup", "1", "--threads", Integer.toString(threads))
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    if (!ourAllocator) {
      ALLOCATOR_SETTINGS.forEach(env::remove);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(anchor + " failed: " + output);
    }
    Matcher matcher = INFER.matcher(output);
    if (!matcher.find()) {
      throw new IOException(anchor + " printed no infer line: " + output);
    }
    return Double.parseDouble(matcher.group(3));
  }

  private static double median(List<double[]> rounds, int column) {
    double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
