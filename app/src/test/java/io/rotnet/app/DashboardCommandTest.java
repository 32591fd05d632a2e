package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DashboardCommandTest {

  @Test
  void takesTheCommonOptionsAndBindsLoopbackByDefault(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("dev.properties");
    Files.writeString(config, "bootstrap.servers=127.0.0.1:40123\nschema.registry.url=http://127.0.0.1:40125\n");
    String[] args = {"dashboard", "--config", config.toString()};

    CommandLine.ParseResult parsed = RotnetCommand.commandLine(args).parseArgs(args);
    DashboardCommand command = (DashboardCommand) parsed.subcommand().commandSpec().userObject();

    assertThat(command.service.bootstrapServers).isEqualTo("127.0.0.1:40123");
    assertThat(command.service.schemaRegistryUrl).isEqualTo("http://127.0.0.1:40125");
    assertThat(command.bind).isEqualTo("127.0.0.1");
    assertThat(command.port).isEqualTo(8090);
  }
}
