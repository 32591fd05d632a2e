package io.rotnet.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmark of the evaluator. */
@Command(name = "evaluator", mixinStandardHelpOptions = true, description = "Benchmark of the evaluator.")
public final class EvaluatorBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("rotnet bench evaluator: not available in this build yet");
    return 2;
  }
}
