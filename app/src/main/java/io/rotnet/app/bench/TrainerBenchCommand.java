package io.rotnet.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmark of the trainer. */
@Command(name = "trainer", mixinStandardHelpOptions = true, description = "Benchmark of the trainer.")
public final class TrainerBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet bench trainer: not available in this build yet");
    return 2;
  }
}
