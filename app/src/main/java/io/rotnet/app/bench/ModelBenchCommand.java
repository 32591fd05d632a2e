package io.rotnet.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmark of the model. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Benchmark of the model.")
public final class ModelBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet bench model: not available in this build yet");
    return 2;
  }
}
