package io.rotnet.dense.detection.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.dense.detection.model.DetectionBatch;
import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detector;
import io.rotnet.dense.detection.model.DetectorConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput of detector presets on this machine's CPU: full SGD iterations (forward,
 * backward, update) on random images with random boxes, after untimed warm-up iterations, and the
 * projected time of the preset's whole schedule on one GPU from counted FLOPs.
 */
public final class DetectionBenchmark {

  private final PrintWriter out;

  public DetectionBenchmark(PrintWriter out) {
    this.out = out;
  }

  /** One preset's figures. */
  public record Result(
      String preset, int height, int width, int imagesPerStep, int timedSteps, double imagesPerSecond,
      double trainingTflopPerImage, double projectedGpuHours) {}

  /**
   * Times {@code steps} iterations of {@code preset} on {@code imagesPerStep} random images of
   * {@code height x width}, after {@code warmUp} untimed ones.
   *
   * @param gpuTflops sustained TFLOP/s assumed for the projection
   */
  public Result run(
      String preset, int height, int width, int imagesPerStep, int warmUp, int steps,
      double gpuTflops) {
    DetectorConfig config = DetectionPresets.get(preset);
    Engine.getInstance().setRandomSeed(1);
    DetectionBatch batch = randomBatch(config, imagesPerStep, height, width, new Random(1));
    double seconds;
    try (NDManager manager = NDManager.newBaseManager();
        DetectionTrainer trainer = new DetectionTrainer(Detector.of(config), manager, 1)) {
      for (int i = 0; i < warmUp; i++) {
        trainer.step(batch);
      }
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainer.step(batch);
        out.printf(Locale.ROOT, "  %s step %d done%n", preset, i + 1);
        out.flush();
      }
      seconds = (System.nanoTime() - start) / 1e9;
    }
    double macs = DetectorFlops.trainingForwardMacs(config, height, width);
    // training = forward + backward, the backward counted as twice the forward; 2 FLOPs per MAC
    double tflop = 3 * 2 * macs / 1e12;
    double images = (double) config.schedule().maxIterations() * config.data().imagesPerIteration();
    double hours = images * tflop / gpuTflops / 3600;
    return new Result(preset, height, width, imagesPerStep, steps, steps * imagesPerStep / seconds,
        tflop, hours);
  }

  /** Random normalised pixels and 1-4 random boxes per image (masks for mask presets). */
  static DetectionBatch randomBatch(DetectorConfig config, int n, int height, int width, Random r) {
    float[] pixels = new float[n * 3 * height * width];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextGaussian();
    }
    List<DetectionBatch.Image> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int objects = 1 + r.nextInt(4);
      float[] boxes = new float[4 * objects];
      int[] labels = new int[objects];
      List<float[]> masks = config.rcnn().withMask() ? new ArrayList<>() : null;
      for (int o = 0; o < objects; o++) {
        float w = width * (0.1f + 0.5f * r.nextFloat());
        float h = height * (0.1f + 0.5f * r.nextFloat());
        float x = r.nextFloat() * (width - w);
        float y = r.nextFloat() * (height - h);
        boxes[4 * o] = x;
        boxes[4 * o + 1] = y;
        boxes[4 * o + 2] = x + w;
        boxes[4 * o + 3] = y + h;
        labels[o] = r.nextInt(config.numClasses());
        if (masks != null) {
          float[] m = new float[height * width];
          for (int yy = (int) y; yy < (int) (y + h); yy++) {
            for (int xx = (int) x; xx < (int) (x + w); xx++) {
              m[yy * width + xx] = 1f;
            }
          }
          masks.add(m);
        }
      }
      images.add(new DetectionBatch.Image(height, width, boxes, labels, masks));
    }
    return new DetectionBatch(pixels, height, width, images);
  }

  /** A Markdown table of results. */
  public static String table(List<Result> results, double gpuTflops) {
    StringBuilder sb = new StringBuilder();
    sb.append("| preset | input | images/step | timed steps | train img/s (CPU) | train TFLOP/img |")
        .append(String.format(Locale.ROOT, " schedule on one GPU at %.0f TFLOP/s |%n", gpuTflops))
        .append("|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT, "| %s | %d x %d | %d | %d | %.3f | %.3f | %.1f h |%n", r.preset(),
              r.height(), r.width(), r.imagesPerStep(), r.timedSteps(), r.imagesPerSecond(),
              r.trainingTflopPerImage(), r.projectedGpuHours()));
    }
    return sb.toString();
  }
}
