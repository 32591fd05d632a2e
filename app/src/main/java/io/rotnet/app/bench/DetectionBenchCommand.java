package io.rotnet.app.bench;

import io.rotnet.dense.detection.bench.DetectionBenchmark;
import io.rotnet.dense.detection.bench.DetectionLearning;
import io.rotnet.dense.detection.model.DetectionPresets;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Training throughput of the detection presets on the CPU and their projected GPU schedule. */
@Command(
    name = "detection",
    mixinStandardHelpOptions = true,
    description = {
      "Times full training iterations (forward, backward, SGD) of detector presets on random",
      "images and boxes, and projects each preset's whole schedule onto one GPU from counted FLOPs."
    })
public final class DetectionBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--presets",
      split = ",",
      defaultValue = DetectionPresets.TINY_C4 + "," + DetectionPresets.TINY_FPN,
      description = "Presets to time (default: ${DEFAULT-VALUE}); also " + DetectionPresets.VOC_C4
          + ", " + DetectionPresets.COCO_FPN + ".")
  List<String> presets;

  @Option(names = "--size", split = "x", defaultValue = "128x128",
      description = "Padded input height x width (default: ${DEFAULT-VALUE}; the references' typical 800x1088).")
  List<Integer> size;

  @Option(names = "--batch", defaultValue = "2", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(names = "--gpu-tflops", defaultValue = "50",
      description = "Sustained GPU TFLOP/s assumed for the projection (default: ${DEFAULT-VALUE}).")
  double gpuTflops;

  @Option(names = "--learning-seeds", defaultValue = "0",
      description = "Instead of timing, trace each preset's learning curve on generated scenes for this many seeds"
          + " (held-out box AP50, mask AP50 for Mask R-CNN; the learning tests' calibration).")
  int learningSeeds;

  @Option(names = "--learning-iterations", defaultValue = "200",
      description = "Iterations of each learning run (default: ${DEFAULT-VALUE}).")
  int learningIterations;

  @Option(names = "--score-every", defaultValue = "50",
      description = "Iterations between the scores of a learning curve (default: ${DEFAULT-VALUE}).")
  int scoreEvery;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%d available processors%n", Runtime.getRuntime().availableProcessors());
    if (learningSeeds > 0) {
      return learningCurves(out);
    }
    DetectionBenchmark bench = new DetectionBenchmark(out);
    List<DetectionBenchmark.Result> results = new ArrayList<>();
    for (String preset : presets) {
      results.add(bench.run(preset, size.get(0), size.get(1), batch, warmUp, steps, gpuTflops));
    }
    out.println();
    out.print(DetectionBenchmark.table(results, gpuTflops));
    out.flush();
    return 0;
  }

  private int learningCurves(PrintWriter out) throws IOException {
    out.printf(Locale.ROOT, "learning curves: %d seeds, %d scenes of %d px, backbone %s from random init%n",
        learningSeeds, DetectionLearning.SCENES, DetectionLearning.SCENE_SIZE, DetectionLearning.BACKBONE);
    out.println("preset,seed,iteration,box_ap50,mask_ap50");
    for (String preset : presets) {
      DetectionLearning.curves(preset, DetectionLearning.BACKBONE, learningSeeds, learningIterations, scoreEvery, p -> {
        out.printf(Locale.ROOT, "%s,%d,%d,%.4f,%.4f%n", preset, p.seed(), p.iteration(), p.boxAp50(), p.maskAp50());
        out.flush();
      });
    }
    return 0;
  }
}
