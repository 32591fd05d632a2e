package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.schemas.avro.CheckpointEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The trainer's checkpoint directory is a small filesystem (a tmpfs of a few checkpoints' size,
 * mounted for the scenario) that fills up during the run. Checked: the trainer stops with a
 * message that names the checkpoint, the directory and the cause; nothing partial is left or
 * announced; every checkpoint on the disk verifies and has exactly one event, so a restart on a
 * larger disk would resume from the newest. Needs the right to mount (root); without it the
 * scenario says so and checks nothing.
 */
final class DiskFullScenario implements FaultScenario {
  private static final String RUN = "full";
  private final int megabytes;
  private final long timeoutSeconds;

  DiskFullScenario(int megabytes, long timeoutSeconds) {
    this.megabytes = megabytes;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "disk-full";
  }

  /** Whether this process may mount a tmpfs (the scenario's precondition). */
  static boolean canMount(Path scratch) throws IOException, InterruptedException {
    Path probe = Files.createDirectories(scratch.resolve("mount-probe"));
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()) == 0;
    if (mounted) {
      run("umount", probe.toString());
    }
    return mounted;
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out) throws Exception {
    String topic = "faults.disk.images";
    Path small = Files.createDirectories(scratch.resolve("small-disk"));
    if (run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", small.toString()) != 0) {
      out.println("  skipped: cannot mount a tmpfs here (needs root)");
      return new ScenarioReport(name(), List.of(), 0, 0, 0, 0, 0,
          List.of(Invariant.check("a small filesystem could be mounted", false, "mount refused")));
    }
    try {
      FaultWorkloads.produceImages(stack, scratch, topic, 1, timeoutSeconds);
      String fault = "checkpoint directory on a " + megabytes + " MB tmpfs";
      out.printf("  injected %s%n", fault);
      Path log = scratch.resolve("train.log");
      int exit = InProcess.run(log, FaultWorkloads.trainArgs(stack, topic, small, RUN, 40, 2));
      String text = Files.readString(log);
      String message = text.lines().filter(l -> l.startsWith("rotnet train:")).findFirst().orElse("");
      out.printf("  trainer exited %d: %s%n", exit, message);
      Path runDir = small.resolve(RUN);
      TreeSet<Long> onDisk = TrainerKillScenario.steps(runDir);
      List<String> partials = TrainerKillScenario.partials(runDir);
      List<String> unverified = new ArrayList<>();
      CheckpointReader reader = new CheckpointReader(small);
      for (long step : onDisk) {
        try {
          reader.verify(CheckpointLayout.relativeLocation(RUN, step), null);
        } catch (CheckpointException | RuntimeException e) {
          unverified.add("step-" + step + ": " + e.getMessage());
        }
      }
      List<CheckpointEvent> events = TopicCounts.checkpointEvents(stack, RUN);
      TreeSet<Long> announced = new TreeSet<>(events.stream().map(CheckpointEvent::getStep).toList());
      List<Invariant> invariants = List.of(
          Invariant.check("the trainer stops with the cause and the checkpoint it could not write",
              exit != 0 && message.contains("No space left") && message.contains("cannot write checkpoint " + RUN)
                  && message.contains(small.toString()), "exit " + exit + ": " + message),
          Invariant.check("nothing partial is left", partials.isEmpty(), partials.size() + " partial dir(s)"),
          Invariant.check("every checkpoint on the disk verifies", !onDisk.isEmpty() && unverified.isEmpty(),
              onDisk.size() + " checkpoint(s) " + onDisk + (unverified.isEmpty() ? "" : "; failed: " + unverified)),
          Invariant.check("every checkpoint has exactly one event, none without a checkpoint",
              announced.equals(onDisk) && events.size() == onDisk.size(),
              events.size() + " event(s) for steps " + announced));
      return new ScenarioReport(name(), List.of(fault), TopicCounts.size(stack, topic),
          TrainerKillScenario.summaryFigure(text, 2), 0, onDisk.size(), events.size(), invariants);
    } finally {
      run("umount", small.toString());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
