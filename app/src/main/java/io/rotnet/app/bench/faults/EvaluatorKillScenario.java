package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two instances of one benchmark (the same consumer group) race for the checkpoints of a real
 * training run, and whichever is evaluating is killed with SIGKILL mid-benchmark, again and
 * again, and restarted. Checked: every checkpoint event ends with exactly one committed {@code
 * EvalResult} per (checkpoint, benchmark, dataset), none is missing, and no result of a killed
 * evaluation (an aborted transaction) is visible to a read-committed reader.
 */
final class EvaluatorKillScenario implements FaultScenario {
  private static final Pattern EVALUATING = Pattern.compile("evaluating (\\S+) \\(run");
  private static final Pattern PUBLISHED = Pattern.compile("published ([^/\\s]+)/");
  private static final String RUN = "evaluated";
  private static final int INSTANCES = 2;

  private final int kills;
  private final long steps;
  private final long timeoutSeconds;
  private final int maxKillDelayMillis;

  /**
   * {@code kills} SIGKILLs of the evaluating instance, on the checkpoints of {@code steps} steps,
   * each a random 0 to {@code maxKillDelayMillis} after the evaluation was seen to start (it must
   * be shorter than one evaluation, or most aims miss and the work can run out first).
   */
  EvaluatorKillScenario(int kills, long steps, long timeoutSeconds, int maxKillDelayMillis) {
    this.kills = kills;
    this.steps = steps;
    this.timeoutSeconds = timeoutSeconds;
    this.maxKillDelayMillis = maxKillDelayMillis;
  }

  @Override
  public String name() {
    return "evaluator-sigkill";
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out) throws Exception {
    String topic = "faults.evaluator.images";
    Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
    FaultWorkloads.produceImages(stack, scratch, topic, 1, timeoutSeconds);
    int trained = InProcess.run(scratch.resolve("train.log"),
        FaultWorkloads.trainArgs(stack, topic, checkpoints, RUN, steps, 2));
    List<CheckpointEvent> events = TopicCounts.checkpointEvents(stack, RUN);
    out.printf("  training exited %d with %d checkpoint event(s)%n", trained, events.size());

    List<String> faults = new ArrayList<>();
    ChildJvm[] instances = new ChildJvm[INSTANCES];
    Path[] logs = new Path[INSTANCES];
    int starts = 0;
    try {
      for (int i = 0; i < INSTANCES; i++) {
        logs[i] = scratch.resolve("evaluate-" + i + ".log");
        instances[i] = evaluator(stack, checkpoints, scratch, logs[i]);
        starts++;
      }
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      while (faults.size() < kills && System.nanoTime() < deadline
          && ResultChecks.committed(stack).size() < events.size()) {
        for (int i = 0; i < INSTANCES && faults.size() < kills; i++) {
          String running = inFlight(Files.readString(logs[i]));
          if (running == null) {
            continue;
          }
          long delay = random.nextInt(maxKillDelayMillis);
          Thread.sleep(delay);
          if (!running.equals(inFlight(Files.readString(logs[i])))) {
            continue; // it finished that one meanwhile: aim again
          }
          instances[i].kill();
          String fault = "SIGKILL " + (faults.size() + 1) + " of instance " + i + " evaluating " + running
              + " (" + delay + " ms in)";
          faults.add(fault);
          out.printf("  injected %s%n", fault);
          ChildJvm.markKilled(logs[i]);
          instances[i] = evaluator(stack, checkpoints, scratch, logs[i]);
          starts++;
        }
        Thread.sleep(50);
      }
      while (System.nanoTime() < deadline && ResultChecks.committed(stack).size() < events.size()) {
        Thread.sleep(200);
      }
      Thread.sleep(2000); // a duplicate, if any, would be committed by now
    } finally {
      for (ChildJvm instance : instances) {
        if (instance != null) {
          instance.close();
        }
      }
    }
    out.printf("  %d evaluator start(s), %d kill(s)%n", starts, faults.size());

    ResultChecks checks = ResultChecks.of(stack, events);
    long aborted = abortedEvaluations(logs);
    List<Invariant> invariants = List.of(
        Invariant.check("training wrote checkpoints", trained == 0 && !events.isEmpty(),
            "exit " + trained + ", " + events.size() + " event(s)"),
        Invariant.check("the faults landed mid-evaluation", faults.size() == kills,
            faults.size() + " of " + kills + " kills landed before the work ran out"),
        checks.noneMissing(),
        checks.noneDoubled(),
        Invariant.check("killed evaluations leave no visible result",
            checks.results().size() == checks.perKey().size(),
            aborted + " evaluation(s) cut short by a kill; " + (checks.results().size() - checks.perKey().size())
                + " extra visible"));
    return new ScenarioReport(name(), faults, events.size(), evaluationsStarted(logs),
        TopicCounts.size(stack, Topics.CHECKPOINTS_DLQ.name()), events.size(), checks.perKey().size(), invariants);
  }

  private static ChildJvm evaluator(EmbeddedStack stack, Path checkpoints, Path scratch, Path log) throws IOException {
    return ChildJvm.start(log, FaultWorkloads.evaluateArgs(stack, checkpoints, scratch.resolve("cache")));
  }

  /** The checkpoint an instance's log shows it evaluating and not yet published, or null. */
  static String inFlight(String log) {
    String section = ChildJvm.sinceLastKill(log);
    String last = null;
    Matcher evaluating = EVALUATING.matcher(section);
    while (evaluating.find()) {
      last = evaluating.group(1);
    }
    if (last == null) {
      return null;
    }
    Matcher published = PUBLISHED.matcher(section);
    while (published.find()) {
      if (published.group(1).equals(last)) {
        return null;
      }
    }
    return last;
  }

  private static long evaluationsStarted(Path[] logs) throws IOException {
    long count = 0;
    for (Path log : logs) {
      count += EVALUATING.matcher(Files.readString(log)).results().count();
    }
    return count;
  }

  private static long abortedEvaluations(Path[] logs) throws IOException {
    long count = 0;
    for (Path log : logs) {
      count += ChildJvm.kills(Files.readString(log));
    }
    return count;
  }
}
