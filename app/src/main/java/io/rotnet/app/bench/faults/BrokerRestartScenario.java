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
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole pipeline runs as child JVMs (a rate-limited producer, a trainer, a kNN evaluator)
 * while the broker and registry are stopped and started again on the same data directory and
 * ports, several times. Nothing is restarted but the broker. Checked: every service finishes on
 * its own; the topic holds exactly the records the producer had acknowledged; the trainer
 * refused nothing (no duplicate view, no broken group) and reached its last step; every
 * checkpoint has one event and one committed result.
 */
final class BrokerRestartScenario implements FaultScenario {
  private static final Pattern ACKED = Pattern.compile("as (\\d+) acknowledged record\\(s\\)");
  private static final String RUN = "restarted";

  private final int restarts;
  private final long steps;
  private final long downSeconds;
  private final long timeoutSeconds;

  BrokerRestartScenario(int restarts, long steps, long downSeconds, long timeoutSeconds) {
    this.restarts = restarts;
    this.steps = steps;
    this.downSeconds = downSeconds;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "broker-restart";
  }

  @Override
  public ScenarioReport run(EmbeddedStack first, Path scratch, Random random, PrintWriter out) throws Exception {
    String topic = "faults.restart.images";
    Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
    Path runDir = checkpoints.resolve(RUN);
    EmbeddedStack stack = first;
    List<String> faults = new ArrayList<>();
    Path produceLog = scratch.resolve("produce.log");
    Path trainLog = scratch.resolve("train.log");
    int produced;
    int trained;
    long every = Math.max(1, steps / 5);
    List<String> produceArgs = new ArrayList<>(FaultWorkloads.produceArgs(stack, topic, 1));
    produceArgs.addAll(List.of("--rate", "60"));
    try (ChildJvm producer = ChildJvm.start(produceLog, produceArgs);
        ChildJvm trainer = ChildJvm.start(trainLog, FaultWorkloads.trainArgs(stack, topic, checkpoints, RUN, steps, every));
        ChildJvm evaluator = ChildJvm.start(scratch.resolve("evaluate.log"),
            FaultWorkloads.evaluateArgs(stack, checkpoints, scratch.resolve("cache")))) {
      for (int i = 0; i < restarts; i++) {
        // each restart after one more checkpoint, so that it lands while all three are at work
        long target = (i + 1) * every;
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (newest(runDir) < target && trainer.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(100 + random.nextInt(100));
        }
        long records = TopicCounts.size(stack, topic);
        stack.close();
        Thread.sleep(downSeconds * 1000);
        stack = EmbeddedStack.start(first.dataDir());
        String fault = "broker restart " + (i + 1) + " (down " + downSeconds + " s) at checkpoint step "
            + newest(runDir) + ", " + records + " records in the topic";
        faults.add(fault);
        out.printf("  injected %s%n", fault);
      }
      produced = producer.waitFor(timeoutSeconds);
      trained = trainer.waitFor(timeoutSeconds);
      out.printf("  producer exited %d, trainer exited %d%n", produced, trained);
      EmbeddedStack now = stack;
      List<CheckpointEvent> events = events(now);
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      while (ResultChecks.committed(now).size() < events.size() && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      Thread.sleep(2000); // a duplicate, if any, would be committed by now
    }
    try {
      ScenarioReport report = report(stack, topic, runDir, faults, produced, trained, Files.readString(produceLog),
          Files.readString(trainLog));
      if (!report.allHeld()) {
        ChildJvm.printTails(out, 40, produceLog, trainLog, scratch.resolve("evaluate.log"));
      }
      return report;
    } finally {
      if (stack != first) {
        stack.close();
      }
    }
  }

  private ScenarioReport report(EmbeddedStack stack, String topic, Path runDir, List<String> faults, int produced,
      int trained, String produceLog, String trainLog) throws IOException {
    long inTopic = TopicCounts.size(stack, topic);
    Matcher acked = ACKED.matcher(produceLog);
    long acknowledged = acked.find() ? Long.parseLong(acked.group(1)) : -1;
    long refused = TrainerKillScenario.summaryFigure(trainLog, 3);
    long consumed = TrainerKillScenario.summaryFigure(trainLog, 2);
    List<CheckpointEvent> events = events(stack);
    TreeSet<Long> onDisk = TrainerKillScenario.steps(runDir);
    Map<Long, Long> eventsPerStep = events.stream().collect(Collectors.groupingBy(CheckpointEvent::getStep,
        Collectors.counting()));
    ResultChecks checks = ResultChecks.of(stack, events);
    List<Invariant> invariants = List.of(
        Invariant.check("every service finishes on its own", produced == 0 && trained == 0
                && !onDisk.isEmpty() && onDisk.last() == steps,
            "producer exit " + produced + ", trainer exit " + trained + ", last checkpoint step "
                + (onDisk.isEmpty() ? 0 : onDisk.last()) + " of " + steps),
        Invariant.check("no acknowledged record lost or doubled", acknowledged == inTopic,
            acknowledged + " acknowledged, " + inTopic + " in the topic"),
        Invariant.check("no duplicate view or broken group reaches the trainer", refused == 0 && consumed > 0,
            consumed + " images trained on, " + refused + " records refused"),
        Invariant.check("every checkpoint has exactly one event",
            onDisk.equals(new TreeSet<>(eventsPerStep.keySet())) && eventsPerStep.values().stream().allMatch(n -> n == 1),
            onDisk.size() + " checkpoint(s), " + events.size() + " event(s)"),
        checks.noneMissing(),
        checks.noneDoubled());
    return new ScenarioReport(name(), faults, inTopic, consumed,
        TopicCounts.size(stack, Topics.deadLetterTopic(topic)), events.size(), checks.perKey().size(), invariants);
  }

  private static List<CheckpointEvent> events(EmbeddedStack stack) {
    return TopicCounts.checkpointEvents(stack, RUN);
  }

  private static long newest(Path runDir) throws IOException {
    TreeSet<Long> steps = TrainerKillScenario.steps(runDir);
    return steps.isEmpty() ? 0 : steps.last();
  }
}
