package io.rotnet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Decodes, augments and rotates images into RotatedImage records on Kafka. */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Decodes, augments and rotates images into RotatedImage records on Kafka.")
public final class ProduceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet produce: not available in this build yet");
    return 2;
  }
}
