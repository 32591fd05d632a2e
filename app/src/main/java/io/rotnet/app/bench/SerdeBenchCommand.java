package io.rotnet.app.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.bench.SerdeBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Benchmark P4: ~40 KB RotatedImage records through the Avro serde and schema registry against
 * raw byte[] values of the same size, on an embedded broker, side by side in one run.
 */
@Command(
    name = "serde",
    mixinStandardHelpOptions = true,
    description = {
      "P4: produce+consume MB/s of RotatedImage records through Avro + the schema registry vs raw"
          + " byte[] values of the same size, on an embedded broker (goal: ratio >= 0.80)."
    })
public final class SerdeBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--pixel-bytes",
      paramLabel = "N",
      defaultValue = "40960",
      description = "Pixel bytes per record (default: ${DEFAULT-VALUE}).")
  int pixelBytes;

  @Option(
      names = "--records",
      paramLabel = "N",
      defaultValue = "1500",
      description = "Records per path and round (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "5",
      description = "Measured rounds, after one warm-up round (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() {
    SerdeBenchmark.Settings settings = new SerdeBenchmark.Settings(pixelBytes, records, rounds);
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedStack stack = EmbeddedStack.startTemporary()) {
      SerdeBenchmark.Result result = new SerdeBenchmark(stack, settings).run();
      result.lines().forEach(out::println);
      out.printf(
          "avro_mb_s=%.1f%nraw_mb_s=%.1f%nratio=%.2f%n",
          result.avroMBps(), result.rawMBps(), result.ratio());
    }
    out.flush();
    return 0;
  }
}
