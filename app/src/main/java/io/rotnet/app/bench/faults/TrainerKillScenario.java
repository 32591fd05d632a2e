package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.trainer.checkpoint.RunCheckpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The trainer, a child JVM, is killed with SIGKILL again and again (at a random moment of a step,
 * while a checkpoint is being written, right after its rename and before its event) and restarted
 * each time; then it runs to the end. Checked: each restart resumes from the newest complete
 * checkpoint, no partial directory is ever resumed from or announced, every checkpoint on disk
 * has exactly one event, and the final weights and momentum are bit-identical to those of a run
 * that was never interrupted.
 */
final class TrainerKillScenario implements FaultScenario {

  /** Where a kill is aimed; each is triggered by what the trainer's output or disk shows. */
  enum Trigger {
    DURING_STEP,
    WHILE_WRITING_CHECKPOINT,
    AFTER_RENAME_BEFORE_EVENT
  }

  // The writer's temporary directories (CheckpointLayout.PARTIAL_PREFIX, package-private there).
  private static final String PARTIAL_PREFIX = ".partial-";
  private static final Pattern RESUMES = Pattern.compile("resumes from \\S+ at step (\\d+)");
  private static final Pattern FRESH = Pattern.compile("starts fresh with preset");
  private static final Pattern SUMMARY =
      Pattern.compile("stopped \\(\\w+\\) at step (\\d+), epoch \\S+, (\\d+) images trained on, (\\d+) records refused");
  private static final int BATCH = 16;

  private final List<Trigger> triggers;
  private final int kills;
  private final long steps;
  private final long timeoutSeconds;

  /** {@code kills} SIGKILLs aimed at {@code triggers} in turn, in a run of {@code steps} steps. */
  TrainerKillScenario(List<Trigger> triggers, int kills, long steps, long timeoutSeconds) {
    this.triggers = List.copyOf(triggers);
    this.kills = kills;
    this.steps = steps;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "trainer-sigkill";
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out)
      throws Exception {
    String topic = "faults.trainer.images";
    Path checkpoints = scratch.resolve("checkpoints");
    Files.createDirectories(checkpoints);
    FaultWorkloads.produceImages(stack, scratch, topic, 1, timeoutSeconds);
    long produced = TopicCounts.size(stack, topic);
    out.printf("  produced %d records to %s%n", produced, topic);

    String straightRun = "straight";
    String killedRun = "killed";
    // The reference run is not faulted: it runs in this JVM, the same code on the same CPU.
    int straightExit =
        InProcess.run(log(scratch, straightRun), trainArgs(stack, topic, checkpoints, straightRun));
    out.printf("  uninterrupted run exited %d%n", straightExit);

    List<String> faults = new ArrayList<>();
    List<Invariant> invariants = new ArrayList<>();
    List<String> badResumes = new ArrayList<>();
    Set<String> partialsSeen = new LinkedHashSet<>();
    Path runDir = checkpoints.resolve(killedRun);
    int restarts = 0;
    for (int i = 0; i < kills; i++) {
      Trigger trigger = triggers.get(i % triggers.size());
      long newestBefore = newestStep(runDir);
      Path log = log(scratch, killedRun);
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      try (ChildJvm trainer = train(stack, scratch, topic, checkpoints, killedRun)) {
        restarts++;
        String started = awaitStart(trainer, log, logStart);
        if (started == null) {
          break; // finished before it could be killed: nothing left to interrupt
        }
        long resumedAt = resumedStep(started);
        if (resumedAt != newestBefore) {
          badResumes.add("start " + restarts + " resumed at " + resumedAt + ", newest " + newestBefore);
        }
        String hit = aim(trigger, trainer, runDir, random);
        if (hit == null) {
          out.printf("  trainer finished before kill %d (%s) could land%n", i + 1, trigger);
          break;
        }
        trainer.kill();
        String fault = "SIGKILL " + (i + 1) + " " + trigger + " (" + hit + ")";
        faults.add(fault);
        out.printf("  injected %s; newest checkpoint now step %d%n", fault, newestStep(runDir));
        partials(runDir).forEach(partialsSeen::add);
      }
    }
    Path log = log(scratch, killedRun);
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    long newestBefore = newestStep(runDir);
    int finalExit;
    try (ChildJvm trainer = train(stack, scratch, topic, checkpoints, killedRun)) {
      restarts++;
      finalExit = trainer.waitFor(timeoutSeconds);
    }
    String finalLog = Files.readString(log).substring((int) logStart);
    long finalResume = resumedStep(finalLog);
    if (finalResume != newestBefore) {
      badResumes.add("last start resumed at " + finalResume + ", newest " + newestBefore);
    }
    out.printf("  restarted %d time(s); last run exited %d%n", restarts, finalExit);

    invariants.add(
        Invariant.check(
            "runs end at the last step",
            straightExit == 0 && finalExit == 0 && newestStep(runDir) == steps
                && newestStep(checkpoints.resolve(straightRun)) == steps,
            "exit " + straightExit + "/" + finalExit + ", last checkpoint step " + newestStep(runDir)
                + " of " + steps));
    invariants.add(
        Invariant.check(
            "resumes from the newest complete checkpoint",
            badResumes.isEmpty(),
            badResumes.isEmpty() ? restarts + " start(s) checked" : String.join("; ", badResumes)));

    List<CheckpointEvent> events = TopicCounts.checkpointEvents(stack, killedRun);
    String allLogs = Files.readString(log);
    boolean partialTrusted =
        partialsSeen.stream().anyMatch(p -> allLogs.contains(p))
            || events.stream().anyMatch(e -> e.getUri().contains(PARTIAL_PREFIX));
    invariants.add(
        Invariant.check(
            "no partial checkpoint directory trusted",
            !partialTrusted,
            partialsSeen.size()
                + " partial dir(s) left by kills; "
                + (partialTrusted ? "one was resumed from or announced" : "none resumed from or announced")));

    Map<Long, Long> eventsPerStep =
        events.stream().collect(Collectors.groupingBy(e -> e.getStep(), Collectors.counting()));
    TreeSet<Long> onDisk = steps(runDir);
    List<Long> unannounced = onDisk.stream().filter(s -> !eventsPerStep.containsKey(s)).toList();
    List<Long> doubled =
        eventsPerStep.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    invariants.add(
        Invariant.check(
            "every checkpoint has exactly one event",
            unannounced.isEmpty() && doubled.isEmpty(),
            onDisk.size() + " checkpoint(s), " + events.size() + " event(s); without an event: "
                + unannounced + ", announced twice: " + doubled));

    List<String> differing = new ArrayList<>();
    for (String file : List.of(CheckpointLayout.PARAMETERS_FILE, RunCheckpoints.MOMENTUM_FILE)) {
      Path straight = stepDir(checkpoints, straightRun, steps).resolve(file);
      Path killed = stepDir(checkpoints, killedRun, steps).resolve(file);
      if (!Files.exists(straight) || !Files.exists(killed)
          || !Arrays.equals(Files.readAllBytes(straight), Files.readAllBytes(killed))) {
        differing.add(file);
      }
    }
    invariants.add(
        Invariant.check(
            "final weights and momentum bit-identical to the uninterrupted run",
            differing.isEmpty(),
            differing.isEmpty() ? "step " + steps + " files equal" : "differ: " + differing));

    long consumed = summaryFigure(finalLog, 2);
    long deadLettered = TopicCounts.size(stack, Topics.deadLetterTopic(topic));
    return new ScenarioReport(
        name(), faults, produced, consumed, deadLettered, onDisk.size(), events.size(), invariants);
  }

  private ChildJvm train(
      EmbeddedStack stack, Path scratch, String topic, Path checkpoints, String runId)
      throws IOException {
    return ChildJvm.start(log(scratch, runId), trainArgs(stack, topic, checkpoints, runId));
  }

  private List<String> trainArgs(EmbeddedStack stack, String topic, Path checkpoints, String runId) {
    return List.of(
            "train",
            "--preset", "rotnet-tiny-cpu",
            "--topic", topic,
            "--run-id", runId,
            "--checkpoint-dir", checkpoints.toString(),
            "--max-steps", Long.toString(steps),
            "--checkpoint-every", "2",
            "--keep-last", "1000",
            "--batch-size", Integer.toString(BATCH),
            "--replica-batch-size", Integer.toString(BATCH),
            "--metrics-every", "1000",
            "--devices", "cpu",
            "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry-url", stack.schemaRegistryUrl());
  }

  /** The trainer's start line (fresh or resumed), or null when it exited first. */
  private String awaitStart(ChildJvm trainer, Path log, long from) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      String text = trainer.output();
      String mine = text.length() > from ? text.substring((int) from) : "";
      if (RESUMES.matcher(mine).find() || FRESH.matcher(mine).find()) {
        return mine;
      }
      if (!trainer.isAlive()) {
        return null;
      }
      Thread.sleep(20);
    }
    throw new IOException("trainer did not start within " + timeoutSeconds + " s");
  }

  /**
   * Waits for the moment {@code trigger} aims at and says what was seen then; null when the
   * trainer exited first. Polling the run directory every millisecond sees a partial directory
   * or a new step directory before the trainer moves on.
   */
  private String aim(Trigger trigger, ChildJvm trainer, Path runDir, Random random)
      throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    if (trigger == Trigger.DURING_STEP) {
      long delay = 200 + random.nextInt(1500);
      Thread.sleep(delay);
      return trainer.isAlive() ? delay + " ms after start" : null;
    }
    TreeSet<Long> before = steps(runDir);
    // Partial directories an earlier kill left behind stay on disk; only a new one is a write.
    List<String> stale = partials(runDir);
    while (trainer.isAlive() && System.nanoTime() < deadline) {
      if (trigger == Trigger.WHILE_WRITING_CHECKPOINT) {
        List<String> partial = partials(runDir);
        partial.removeAll(stale);
        if (!partial.isEmpty()) {
          return "partial " + partial.get(0) + " present";
        }
      } else {
        TreeSet<Long> now = steps(runDir);
        now.removeAll(before);
        if (!now.isEmpty()) {
          return "step-" + now.first() + " just renamed";
        }
      }
      Thread.sleep(1);
    }
    return null;
  }

  private static long resumedStep(String log) {
    Matcher resumed = RESUMES.matcher(log);
    return resumed.find() ? Long.parseLong(resumed.group(1)) : 0;
  }

  /** A figure of the trainer's summary line (1: step, 2: images, 3: refused); 0 when absent. */
  static long summaryFigure(String log, int group) {
    Matcher summary = SUMMARY.matcher(log);
    return summary.find() ? Long.parseLong(summary.group(group)) : 0;
  }

  private static Path log(Path scratch, String runId) {
    return scratch.resolve("train-" + runId + ".log");
  }

  private static Path stepDir(Path checkpoints, String runId, long step) {
    return checkpoints.resolve(runId).resolve(CheckpointLayout.stepDirectoryName(step));
  }

  private static long newestStep(Path runDir) throws IOException {
    TreeSet<Long> steps = steps(runDir);
    return steps.isEmpty() ? 0 : steps.last();
  }

  static TreeSet<Long> steps(Path runDir) throws IOException {
    return list(runDir, dirs -> dirs.map(CheckpointLayout::stepOf)
        .filter(s -> s.isPresent())
        .map(s -> s.getAsLong())
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  static List<String> partials(Path runDir) throws IOException {
    return list(runDir, dirs -> dirs.map(p -> p.getFileName().toString())
        .filter(name -> name.startsWith(PARTIAL_PREFIX))
        .collect(Collectors.toList()));
  }

  private static <T> T list(Path dir, Function<Stream<Path>, T> reader) throws IOException {
    if (!Files.isDirectory(dir)) {
      return reader.apply(Stream.empty());
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return reader.apply(entries);
    } catch (java.nio.file.NoSuchFileException e) {
      return reader.apply(Stream.empty()); // a partial renamed while listed
    }
  }
}
