package io.rotnet.app;

import java.io.PrintWriter;

/** Entry point of the {@code rotnet} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line and returns its exit code; a bad {@code --config} is a usage error. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      picocli.CommandLine commandLine = RotnetCommand.commandLine(args);
      commandLine.setOut(out);
      commandLine.setErr(err);
      return commandLine.execute(args);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      err.println("rotnet: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }
}
