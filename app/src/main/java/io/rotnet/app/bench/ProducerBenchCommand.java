package io.rotnet.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmark of the producer. */
@Command(name = "producer", mixinStandardHelpOptions = true, description = "Benchmark of the producer.")
public final class ProducerBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet bench producer: not available in this build yet");
    return 2;
  }
}
