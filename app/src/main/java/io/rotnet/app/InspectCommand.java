package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the records of any project topic, decoded through the registry. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Prints the records of any project topic, decoded through the registry.")
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet inspect: not available in this build yet");
    return 2;
  }
}
