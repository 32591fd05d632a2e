package io.rotnet.dashboard;

import io.rotnet.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the dashboard reads and serves.
 *
 * @param bootstrapServers Kafka brokers
 * @param schemaRegistryUrl registry of the topics' Avro schemas
 * @param host address the web server binds (127.0.0.1 unless asked otherwise)
 * @param port web server port, 0 for any free one
 * @param metricsTopic training metrics
 * @param checkpointsTopic checkpoint events
 * @param resultsTopic benchmark results
 * @param lagEvery how often consumer lag is asked of the broker
 */
public record DashboardSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    String host,
    int port,
    String metricsTopic,
    String checkpointsTopic,
    String resultsTopic,
    Duration lagEvery) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8090;

  public DashboardSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(metricsTopic, "metricsTopic");
    Objects.requireNonNull(checkpointsTopic, "checkpointsTopic");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(lagEvery, "lagEvery");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (lagEvery.isNegative() || lagEvery.isZero()) {
      throw new IllegalArgumentException("lagEvery must be positive");
    }
  }

  /** The contract's topics, on 127.0.0.1:{@value #DEFAULT_PORT}, lag every 3 s. */
  public static DashboardSettings defaults(String bootstrapServers, String schemaRegistryUrl) {
    return new DashboardSettings(bootstrapServers, schemaRegistryUrl, DEFAULT_HOST, DEFAULT_PORT,
        Topics.METRICS.name(), Topics.CHECKPOINTS.name(), Topics.EVAL_RESULTS.name(), Duration.ofSeconds(3));
  }

  public DashboardSettings withAddress(String newHost, int newPort) {
    return new DashboardSettings(bootstrapServers, schemaRegistryUrl, newHost, newPort, metricsTopic,
        checkpointsTopic, resultsTopic, lagEvery);
  }

  public DashboardSettings withLagEvery(Duration every) {
    return new DashboardSettings(bootstrapServers, schemaRegistryUrl, host, port, metricsTopic,
        checkpointsTopic, resultsTopic, every);
  }
}
