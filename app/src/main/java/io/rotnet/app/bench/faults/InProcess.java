package io.rotnet.app.bench.faults;

import io.rotnet.app.RotnetCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A {@code rotnet} subcommand that no fault touches (the workload's producer, the reference
 * run), run in this JVM to spare a JVM and engine start; output appended to a log file.
 */
final class InProcess {

  private InProcess() {}

  static int run(Path log, List<String> args) throws IOException {
    String[] argv = args.toArray(String[]::new);
    try (OutputStream file =
            Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        PrintWriter out = new PrintWriter(file, true, StandardCharsets.UTF_8)) {
      var commandLine = RotnetCommand.commandLine(argv);
      commandLine.setOut(out);
      commandLine.setErr(out);
      return commandLine.execute(argv);
    }
  }
}
