package io.rotnet.app.bench;

import io.rotnet.dense.segmentation.SegmentationBench;
import io.rotnet.model.ModelSpec;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Segmentation fine-tuning throughput and the projected time of the full schedule. */
@Command(
    name = "segmentation",
    mixinStandardHelpOptions = true,
    description = "Tiny-preset training img/s on scenes, full-preset FCN R50-D8 forward+backward img/s at 512x512,"
        + " and the 20k-iteration GPU time projected from FLOPs.")
public final class SegmentationBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--tiny-iterations", defaultValue = "40", description = "Tiny-preset iterations (default: ${DEFAULT-VALUE}).")
  int tinyIterations;

  @Option(names = "--tiny-backbone", defaultValue = "resnet18-w8",
      description = "Backbone architecture of the tiny run (default: ${DEFAULT-VALUE}).")
  String tinyBackbone;

  @Option(names = "--full-steps", defaultValue = "2", description = "Measured full-preset steps (default: ${DEFAULT-VALUE}).")
  int fullSteps;

  @Option(names = "--full-batch", defaultValue = "2", description = "Full-preset batch (default: ${DEFAULT-VALUE}).")
  int fullBatch;

  @Option(names = "--gpu-tflops", defaultValue = "60",
      description = "Sustained GPU TFLOPS assumed for the projection (default: ${DEFAULT-VALUE}).")
  double gpuTflops;

  @Option(names = "--learning-seeds", defaultValue = "0",
      description = "Instead of the speed figures, run the learning test's setting (40 scenes at 64 px,"
          + " --tiny-iterations) for this many seeds and print mIoU per seed against background"
          + " everywhere: how the test's bound is calibrated (default: ${DEFAULT-VALUE}).")
  int learningSeeds;

  @Override
  public Integer call() throws Exception {
    if (learningSeeds > 0) {
      return calibrate();
    }
    ModelSpec tiny = ModelSpec.of(tinyBackbone, 32);
    SegmentationBench.Figures f = SegmentationBench.run(tiny, tinyIterations, fullSteps, fullBatch);
    double trainFlopsPerImage = 3 * 2 * f.forwardGmacsPerImage() * 1e9; // forward + backward ~ 3x forward
    double hours = 20000.0 * 16 * trainFlopsPerImage / (gpuTflops * 1e12) / 3600;
    var out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "tiny preset (%s, %d iterations of 4 at 64x64): %.1f img/s training%n", tinyBackbone,
        tinyIterations, f.tinyImagesPerSecond());
    out.printf(Locale.ROOT, "full preset FCN R50-D8 512x512 batch %d: %.3f img/s forward+backward (%d steps)%n",
        f.fullBatch(), f.fullImagesPerSecond(), f.fullSteps());
    out.printf(Locale.ROOT, "forward %.1f GMAC/image; 20k x 16 images at %.0f sustained TFLOPS: %.1f h on one GPU;"
        + " on this CPU: %.0f h%n", f.forwardGmacsPerImage(), gpuTflops, hours, 20000.0 * 16 / f.fullImagesPerSecond() / 3600);
    return 0;
  }

  private int calibrate() throws Exception {
    var out = spec.commandLine().getOut();
    List<SegmentationBench.LearningRun> runs = SegmentationBench.learningSeeds(
        ModelSpec.of(tinyBackbone, 32), tinyIterations, learningSeeds, run -> {
          out.printf(Locale.ROOT, "seed %d: mIoU %.3f (per class %s), background everywhere %.3f%n", run.seed(),
              run.fineTuned().meanIou(), Arrays.toString(run.fineTuned().classIou()), run.backgroundOnlyMeanIou());
          out.flush();
        });
    DoubleSummaryStatistics tuned = runs.stream().mapToDouble(r -> r.fineTuned().meanIou()).summaryStatistics();
    DoubleSummaryStatistics chance = runs.stream().mapToDouble(SegmentationBench.LearningRun::backgroundOnlyMeanIou)
        .summaryStatistics();
    out.printf(Locale.ROOT, "%d seeds, %d iterations: mIoU min %.3f mean %.3f max %.3f; background everywhere max %.3f%n",
        runs.size(), tinyIterations, tuned.getMin(), tuned.getAverage(), tuned.getMax(), chance.getMax());
    return 0;
  }
}
