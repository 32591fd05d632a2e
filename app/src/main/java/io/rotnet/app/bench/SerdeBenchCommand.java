package io.rotnet.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmark of the serde. */
@Command(name = "serde", mixinStandardHelpOptions = true, description = "Benchmark of the serde.")
public final class SerdeBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet bench serde: not available in this build yet");
    return 2;
  }
}
