package io.rotnet.app.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code rotnet} subcommand in its own JVM, on this JVM's class path (the shaded jar when run
 * from it), output to a log file, so that it can be killed with SIGKILL like a real service.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Path log, List<String> rotnetArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.rotnet.app.Main");
    command.addAll(rotnetArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ChildJvm(builder.start(), log);
  }

  /** Written into a child's log where it was killed, so that a restart's lines can be told apart. */
  static final String KILLED = "--- killed ---";

  /** Marks the end of a killed child's lines in {@code log}. */
  static void markKilled(Path log) throws IOException {
    Files.writeString(log, "\n" + KILLED + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The lines a log holds after its last kill mark (all of it without one). */
  static String sinceLastKill(String log) {
    int mark = log.lastIndexOf(KILLED);
    return mark < 0 ? log : log.substring(mark + KILLED.length());
  }

  /** Kill marks in a log. */
  static long kills(String log) {
    return log.split(KILLED, -1).length - 1;
  }

  /**
   * The last {@code lines} lines of each log, for a scenario whose invariants broke; the Kafka
   * clients' reconnection warnings are left out.
   */
  static void printTails(java.io.PrintWriter out, int lines, Path... logs) throws IOException {
    for (Path log : logs) {
      List<String> all = (Files.exists(log) ? Files.readAllLines(log) : List.<String>of()).stream()
          .filter(l -> !l.contains("WARN NetworkClient")).toList();
      out.printf("  --- last %d lines of %s ---%n", Math.min(lines, all.size()), log.getFileName());
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.println("  | " + l));
    }
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush, no final checkpoint. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  int waitFor(long seconds) throws InterruptedException, IOException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      throw new IOException("child did not finish within " + seconds + " s; log " + log);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
