package io.rotnet.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker in KRaft mode (broker and controller in one node) inside this JVM, on
 * 127.0.0.1. The only class of the project that touches Kafka's server internals.
 *
 * <p>The data directory keeps the log and the chosen ports, so a restart on the same directory
 * comes back with the same topics, records and (when still free) the same address.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker whose log lives under {@code dataDir}, formatting it on first use, and returns
   * once the broker answers an admin client.
   */
  public static EmbeddedKafka start(Path dataDir) {
    QuietLogging.apply();
    try {
      Files.createDirectories(dataDir);
      Path logDir = dataDir.resolve("log");
      int brokerPort = PortFile.reuseOrChoose(dataDir, "broker");
      int controllerPort = PortFile.reuseOrChoose(dataDir, "controller");
      Properties config = serverConfig(logDir, brokerPort, controllerPort);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dataDir, config);
      }
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
      server.startup();
      String bootstrap = LOOPBACK + ":" + brokerPort;
      EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap);
      try {
        kafka.awaitReady();
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      LOG.info("Kafka broker ready at {} (data in {})", bootstrap, dataDir);
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
    }
  }

  /** {@code host:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the broker and waits until it has stopped. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  private void awaitReady() {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka broker at " + bootstrapServers + " did not become ready within " + READY_TIMEOUT,
          e);
    }
  }

  private static Properties serverConfig(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
    p.put("listeners",
        "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    // One node: every internal topic has one replica, and few partitions keep startup fast.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The cleaner (needed for compacted topics such as _schemas) would otherwise take 128 MiB.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("auto.create.topics.enable", "true");
    p.put("delete.topic.enable", "true");
    return p;
  }

  private static void format(Path dataDir, Properties config) throws IOException {
    Path configFile = dataDir.resolve("server.properties");
    try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
      config.store(writer, "embedded Kafka broker of rotnet devstack");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "--config", configFile.toString(),
                "--cluster-id", Uuid.randomUuid().toString(),
                "--ignore-formatted"
              },
              out);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting Kafka storage in " + dataDir + " failed (" + rc + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }
}
