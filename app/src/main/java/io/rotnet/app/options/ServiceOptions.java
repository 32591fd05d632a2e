package io.rotnet.app.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every service command shares. Defaults come from {@code --config FILE} (a properties
 * file whose keys are option names without dashes), then from the environment, then the values
 * below, which match the ports {@code docker compose} publishes.
 */
public final class ServiceOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:ROTNET_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  public String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      defaultValue = "${env:ROTNET_SCHEMA_REGISTRY_URL:-http://localhost:8081}",
      description = "Confluent-compatible schema registry (default: ${DEFAULT-VALUE}).")
  public String schemaRegistryUrl;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with defaults for any option, e.g. bootstrap-servers=kafka:9092.")
  public Path configFile;
}
