package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the latest benchmark results per checkpoint. */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Prints the latest benchmark results per checkpoint.")
public final class ResultsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet results: not available in this build yet");
    return 2;
  }
}
