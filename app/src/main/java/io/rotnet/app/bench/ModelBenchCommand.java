package io.rotnet.app.bench;

import io.rotnet.model.bench.ModelBenchResult;
import io.rotnet.model.bench.ModelBenchSettings;
import io.rotnet.model.bench.ModelBenchmark;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Training and feature-extraction throughput of our ResNet next to DJL's ResNetV1. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Times our ResNet against DJL's ResNetV1 of the same depth, steps interleaved in one process:",
      "training (forward + backward + SGD momentum), tap feature extraction and the pooled feature,",
      "in images per second, with the ratio ours / DJL."
    })
public final class ModelBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "64,224",
      description = "Input sides in pixels (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--batch", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--steps",
      defaultValue = "0",
      description = "Timed steps per model, size and task; 0 = 5 up to 96 px, 2 above (default).")
  int steps;

  @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(names = "--depth", defaultValue = "50", description = "ResNet depth: 50, 101 or 152 (default: ${DEFAULT-VALUE}).")
  int depth;

  @Override
  public Integer call() {
    ModelBenchSettings settings =
        ModelBenchSettings.builder()
            .optSizes(sizes)
            .optBatchSize(batch)
            .optTimedSteps(steps)
            .optWarmUpSteps(warmUp)
            .optDepth(depth)
            .build();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "ResNet-%d, batch %d, device %s, %d available processors%n",
        depth, batch, settings.device(), Runtime.getRuntime().availableProcessors());
    List<ModelBenchResult> results = new ModelBenchmark(settings, out).run();
    out.println();
    out.print(ModelBenchmark.table(results));
    out.flush();
    return 0;
  }
}
