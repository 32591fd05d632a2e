package io.rotnet.devstack;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a Confluent-compatible schema registry in this JVM: what tests, {@code
 * rotnet devstack} and {@code rotnet local} run on.
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.start(dataDir)) {
 *   stack.createTopic("rotnet.images", 4);
 *   ... stack.bootstrapServers(), stack.schemaRegistryUrl() ...
 * }
 * }</pre>
 */
public final class EmbeddedStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);
  private static final long ADMIN_TIMEOUT_MS = 30_000;

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry registry;
  private final Admin admin;
  private boolean closed;

  private EmbeddedStack(
      Path dataDir, boolean deleteOnClose, EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.kafka = kafka;
    this.registry = registry;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /**
   * Starts both on a data directory, which keeps topics, records and schemas across restarts.
   * Returns when the broker answers and the registry has replayed its schemas.
   */
  public static EmbeddedStack start(Path dataDir) {
    return start(dataDir, false);
  }

  /** Starts both on a fresh temporary directory that {@link #close()} deletes. */
  public static EmbeddedStack startTemporary() {
    try {
      return start(Files.createTempDirectory("rotnet-devstack-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data directory", e);
    }
  }

  private static EmbeddedStack start(Path dataDir, boolean deleteOnClose) {
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
    EmbeddedSchemaRegistry registry;
    try {
      registry =
          EmbeddedSchemaRegistry.start(
              kafka.bootstrapServers(), PortFile.reuseOrChoose(dataDir, "schema-registry"));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    LOG.info(
        "dev stack ready: bootstrap.servers={} schema.registry.url={}",
        kafka.bootstrapServers(),
        registry.url());
    return new EmbeddedStack(dataDir, deleteOnClose, kafka, registry);
  }

  /** {@code 127.0.0.1:PORT} of the broker. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** {@code http://127.0.0.1:PORT} of the registry. */
  public String schemaRegistryUrl() {
    return registry.url();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The embedded registry, e.g. to count the requests it served. */
  public EmbeddedSchemaRegistry registry() {
    return registry;
  }

  /** A new client of this stack's registry. */
  public SchemaRegistryClient newRegistryClient() {
    return new SchemaRegistryClient(registry.url());
  }

  /** Creates a topic with one replica; a topic that already exists is left as it is. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** Creates a topic with one replica and the given topic configs, unless it exists. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
    try {
      admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topic " + name + " timed out", e);
    }
  }

  /** Creates the topic and its dead-letter topic. */
  public void createTopic(Topic<?> topic, int partitions) {
    createTopic(topic.name(), partitions);
    createTopic(topic.deadLetterTopic(), 1);
  }

  /** Stops the registry, then the broker; deletes the data directory if it was temporary. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      admin.close();
      registry.close();
    } finally {
      kafka.close();
      if (deleteOnClose) {
        deleteRecursively(dataDir);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(EmbeddedStack::deleteQuietly);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", path, e.toString());
    }
  }
}
