package io.rotnet.app;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes in one place: bad input or configuration is 2, an interrupted run
 * is 130, anything else 1. The message is printed without a stack trace unless ROTNET_DEBUG is set.
 */
final class ExitCodes implements IExecutionExceptionHandler {
  static final int USAGE = 2;
  static final int INTERRUPTED = 130;

  @Override
  public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parsed) {
    if (System.getenv("ROTNET_DEBUG") != null) {
      ex.printStackTrace(commandLine.getErr());
    }
    commandLine.getErr().println("rotnet " + commandLine.getCommandName() + ": " + describe(ex));
    if (ex instanceof InterruptedException) {
      return INTERRUPTED;
    }
    return ex instanceof IllegalArgumentException || ex instanceof java.io.FileNotFoundException
        ? USAGE
        : 1;
  }

  static String describe(Throwable ex) {
    StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
    for (Throwable cause = ex.getCause(); cause != null && cause != ex; cause = cause.getCause()) {
      String text = cause.getMessage();
      // Causes without a message (a bare timeout) add nothing a reader could use.
      if (text != null && !text.isBlank() && !message.toString().contains(text)) {
        message.append(": ").append(text);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return message.toString();
  }
}
