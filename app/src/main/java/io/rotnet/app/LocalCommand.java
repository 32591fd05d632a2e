package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the whole pipeline in one process on an embedded Kafka broker. */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Runs the whole pipeline in one process on an embedded Kafka broker.")
public final class LocalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet local: not available in this build yet");
    return 2;
  }
}
