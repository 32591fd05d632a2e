package io.rotnet.app.bench.faults;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fault scenarios on the embedded stack: inject the fault, keep going, check the invariants. */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Fault suite on an embedded broker (loopback only): each scenario runs real rotnet",
      "services as child JVMs, injects faults (SIGKILL at chosen moments), restarts them and",
      "checks the delivery guarantees of docs/ARCHITECTURE.md; prints each fault, each",
      "invariant and a summary table. Exit 0 when every invariant held, 1 otherwise.",
      "Scenarios: trainer-sigkill, evaluator-sigkill, broker-restart, producer-sigkill, bad-input,",
      "disk-full (mounts a tmpfs: needs root), fine-tune-resume."
    })
public final class FaultsBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "trainer-sigkill,evaluator-sigkill,broker-restart,producer-sigkill,bad-input,disk-full,"
          + "fine-tune-resume",
      description = "Scenarios to run, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(
      names = "--kills",
      defaultValue = "10",
      description =
          "SIGKILLs of the trainer in trainer-sigkill, aimed in turn at a step, a checkpoint being"
              + " written, and the gap between its rename and its event (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(
      names = "--evaluator-kills",
      defaultValue = "6",
      description = "SIGKILLs of the evaluating instance in evaluator-sigkill, two instances racing in one group"
          + " for the 8 checkpoints of a 16-step run (default: ${DEFAULT-VALUE}).")
  int evaluatorKills;

  @Option(
      names = "--broker-restarts",
      defaultValue = "3",
      description = "Restarts of the broker (3 s down each) in broker-restart, while a producer, a trainer of"
          + " 200 steps and an evaluator run (default: ${DEFAULT-VALUE}).")
  int brokerRestarts;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Training steps of trainer-sigkill, a checkpoint every 2 (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "Longest wait for any one child process (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the kill moments (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    List<FaultScenario> chosen = new ArrayList<>();
    for (String name : scenarios) {
      chosen.add(scenario(name.trim()));
    }
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = Files.createTempDirectory("rotnet-bench-faults");
    try {
      List<ScenarioReport> reports = new FaultSuite(chosen, seed).run(scratch, out);
      return reports.stream().allMatch(ScenarioReport::allHeld) ? 0 : 1;
    } finally {
      ScratchDirs.delete(scratch);
    }
  }

  FaultScenario scenario(String name) {
    if (name.equals("trainer-sigkill")) {
      return new TrainerKillScenario(
          List.of(TrainerKillScenario.Trigger.values()), kills, steps, timeoutSeconds);
    }
    if (name.equals("evaluator-sigkill")) {
      return new EvaluatorKillScenario(evaluatorKills, 16, timeoutSeconds, 1500);
    }
    if (name.equals("broker-restart")) {
      return new BrokerRestartScenario(brokerRestarts, 200, 3, timeoutSeconds);
    }
    if (name.equals("producer-sigkill")) {
      return new ProducerKillScenario(3, timeoutSeconds);
    }
    if (name.equals("bad-input")) {
      return new BadInputScenario(5, true, timeoutSeconds);
    }
    if (name.equals("disk-full")) {
      return new DiskFullScenario(14, timeoutSeconds);
    }
    if (name.equals("fine-tune-resume")) {
      return new FineTuneResumeScenario(120, timeoutSeconds);
    }
    throw new IllegalArgumentException("unknown scenario " + name + "; known: trainer-sigkill, evaluator-sigkill,"
        + " broker-restart, producer-sigkill, bad-input, disk-full, fine-tune-resume");
  }
}
