package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.app.options.ServiceOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CommandLineTest {

  @Test
  void rootCommandListsEveryService() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = RotnetCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));

    int exit = commandLine.execute();

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("devstack", "produce", "train", "evaluate", "results", "inspect", "local", "bench");
  }

  @Test
  void configFileSuppliesDefaultsAndCommandLineWins(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("rotnet.properties");
    Files.writeString(config, "bootstrap-servers=kafka:19092\nschema-registry-url=http://registry:8081\n");
    Echo echo = new Echo();

    String[] fileOnly = {"--config", config.toString()};
    withConfig(echo, fileOnly).execute(fileOnly);
    assertThat(echo.service.bootstrapServers).isEqualTo("kafka:19092");
    assertThat(echo.service.schemaRegistryUrl).isEqualTo("http://registry:8081");

    String[] overridden = {"--config=" + config, "--bootstrap-servers", "other:9092"};
    withConfig(echo, overridden).execute(overridden);
    assertThat(echo.service.bootstrapServers).isEqualTo("other:9092");
    assertThat(echo.service.schemaRegistryUrl).isEqualTo("http://registry:8081");
  }

  @Test
  void theTwoLinesDevstackPrintsWorkAsAConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("devstack.properties");
    Files.writeString(config, "bootstrap.servers=127.0.0.1:40123\nschema.registry.url=http://127.0.0.1:40125\n");
    Echo echo = new Echo();

    String[] args = {"--config", config.toString()};
    withConfig(echo, args).execute(args);

    assertThat(echo.service.bootstrapServers).isEqualTo("127.0.0.1:40123");
    assertThat(echo.service.schemaRegistryUrl).isEqualTo("http://127.0.0.1:40125");
  }

  @Test
  void failuresReadAsTheirChainOfMessagesWithoutEmptyOnes() {
    Exception failure =
        new IllegalStateException(
            "Kafka at localhost:9092 did not answer",
            new java.util.concurrent.TimeoutException());
    assertThat(ExitCodes.describe(failure)).isEqualTo("Kafka at localhost:9092 did not answer");
    Exception wrapped =
        new IllegalStateException(
            "cannot create topic t", new IllegalArgumentException("replication factor 3 > 1 broker"));
    assertThat(ExitCodes.describe(wrapped))
        .isEqualTo("cannot create topic t: replication factor 3 > 1 broker");
  }

  @Test
  void missingConfigFileIsAUsageError(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    String[] args = {"results", "--config", dir.resolve("absent.properties").toString()};
    int exit = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("config file not found");
  }

  private static CommandLine withConfig(Object command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setDefaultValueProvider(io.rotnet.app.options.ConfigFileDefaults.fromArgs(args));
    return commandLine;
  }

  @Command(name = "echo")
  static final class Echo implements Callable<Integer> {
    @Mixin ServiceOptions service;

    @Override
    public Integer call() {
      return 0;
    }
  }
}
