package io.rotnet.app.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the benchmarks whose figures docs/BENCHMARKS.md records. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures throughput figures side by side in one run.",
    subcommands = {
      SerdeBenchCommand.class,
      ModelBenchCommand.class,
      ProducerBenchCommand.class,
      TrainerBenchCommand.class,
      EvaluatorBenchCommand.class,
      LinearBenchCommand.class,
      SegmentationBenchCommand.class,
      DetectionBenchCommand.class,
      FidelityBenchCommand.class,
      io.rotnet.app.bench.faults.FaultsBenchCommand.class
    })
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
