package io.rotnet.app.bench.faults;

import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.devstack.EmbeddedStack;
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
import java.util.stream.Stream;

/**
 * A dense evaluator (detection-voc, the tiny Faster R-CNN on generated scenes) is killed with
 * SIGKILL in the middle of its fine-tune, after it saved a state, and restarted. Checked: the
 * restarted evaluator resumes the fine-tune from that saved state instead of starting over, it
 * publishes exactly one result for the checkpoint, and the state is removed once scored.
 */
final class FineTuneResumeScenario implements FaultScenario {
  private static final Pattern RESUMING = Pattern.compile("resuming \\S+ at iteration (\\d+) of (\\d+)");
  private static final String RUN = "tuned";
  private final int iterations;
  private final long timeoutSeconds;

  FineTuneResumeScenario(int iterations, long timeoutSeconds) {
    this.iterations = iterations;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "fine-tune-resume";
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out) throws Exception {
    String topic = "faults.tune.images";
    Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
    FaultWorkloads.produceImages(stack, scratch, topic, 1, timeoutSeconds);
    int trained = InProcess.run(scratch.resolve("train.log"),
        FaultWorkloads.trainArgs(stack, topic, checkpoints, RUN, 2, 2));
    Path scenes = scratch.resolve("scenes");
    SceneGenerator.builder().optImages(20).optSize(96).optSeed(1).build().write(scenes);
    Path work = scratch.resolve("work");
    Path stateDir = work.resolve("detection-voc");
    List<String> args = List.of("evaluate", "--benchmark", "detection-voc", "--dataset", "scenes=voc0712:" + scenes,
        "--param", "preset=tiny-faster-rcnn-r50-c4", "--param", "iterations=" + iterations,
        "--param", "checkpoint-every=20", "--checkpoint-root", checkpoints.toString(), "--work-dir", work.toString(),
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl());
    Path log = scratch.resolve("evaluate.log");
    List<String> faults = new ArrayList<>();
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    try (ChildJvm evaluator = ChildJvm.start(log, args)) {
      while (states(stateDir) == 0 && evaluator.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      long delay = 200 + random.nextInt(800);
      Thread.sleep(delay);
      if (evaluator.isAlive() && states(stateDir) > 0) {
        evaluator.kill();
        faults.add("SIGKILL of the fine-tuning evaluator " + delay + " ms after its first saved state");
        out.printf("  injected %s%n", faults.get(0));
      }
    }
    ChildJvm.markKilled(log);
    List<CheckpointEvent> events = TopicCounts.checkpointEvents(stack, RUN);
    try (ChildJvm evaluator = ChildJvm.start(log, args)) {
      while (ResultChecks.committed(stack).size() < events.size() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(1000);
    }
    Matcher resumed = RESUMING.matcher(ChildJvm.sinceLastKill(Files.readString(log)));
    long resumedAt = resumed.find() ? Long.parseLong(resumed.group(1)) : 0;
    ResultChecks checks = ResultChecks.of(stack, events);
    List<Invariant> invariants = List.of(
        Invariant.check("the kill landed mid fine-tune", trained == 0 && faults.size() == 1,
            "training exit " + trained + ", " + faults.size() + " kill(s)"),
        Invariant.check("the restarted evaluator resumes the saved fine-tune", resumedAt >= 20 && resumedAt < iterations,
            resumedAt == 0 ? "started over" : "resumed at iteration " + resumedAt + " of " + iterations),
        checks.noneMissing(),
        checks.noneDoubled(),
        Invariant.check("the saved state is removed once scored", states(stateDir) == 0,
            states(stateDir) + " state file(s) left"));
    return new ScenarioReport(name(), faults, events.size(), 2, 0, events.size(), checks.perKey().size(), invariants);
  }

  private static long states(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".state")).count();
    }
  }
}
