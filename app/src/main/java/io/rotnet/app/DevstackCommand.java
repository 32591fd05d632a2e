package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Starts the embedded Kafka broker and schema registry and runs until stopped. */
@Command(name = "devstack", mixinStandardHelpOptions = true, description = "Starts the embedded Kafka broker and schema registry and runs until stopped.")
public final class DevstackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet devstack: not available in this build yet");
    return 2;
  }
}
