package io.rotnet.app;

import picocli.CommandLine;

/** Entry point of the {@code rotnet} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(RotnetCommand.commandLine(args).execute(args));
  }
}
