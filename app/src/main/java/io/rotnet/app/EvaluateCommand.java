package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Evaluates every new checkpoint on one benchmark and publishes the results. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluates every new checkpoint on one benchmark and publishes the results.")
public final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet evaluate: not available in this build yet");
    return 2;
  }
}
