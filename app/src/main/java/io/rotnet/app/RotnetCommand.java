package io.rotnet.app;

import io.rotnet.app.bench.BenchCommand;
import io.rotnet.app.options.ConfigFileDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: prints usage when called without a subcommand. */
@Command(
    name = "rotnet",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "RotNet self-supervised pretraining of ResNet-50 on Kafka, with continuous evaluation.",
    subcommands = {
      DevstackCommand.class,
      ProduceCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      ResultsCommand.class,
      InspectCommand.class,
      LocalCommand.class,
      DashboardCommand.class,
      BenchCommand.class,
      DatasetsCommand.class,
      DoctorCommand.class
    })
public final class RotnetCommand implements Runnable {

  @Spec CommandSpec spec;

  /** A command line with the defaults of {@code --config FILE} and the project's exit codes. */
  public static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new RotnetCommand());
    commandLine.setDefaultValueProvider(ConfigFileDefaults.fromArgs(args));
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
