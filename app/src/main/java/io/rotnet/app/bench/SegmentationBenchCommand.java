package io.rotnet.app.bench;

import io.rotnet.dense.segmentation.SegmentationBench;
import io.rotnet.model.ModelSpec;
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

  @Override
  public Integer call() throws Exception {
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
}
