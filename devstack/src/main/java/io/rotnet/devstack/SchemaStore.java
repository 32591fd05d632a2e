package io.rotnet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's state: subjects with their versions, and schemas by global id. Every change is
 * first written (and acknowledged) to a compacted Kafka topic, then applied in memory; on start
 * the topic is replayed, so the state survives restarts of a broker on the same data directory.
 * Only BACKWARD compatibility against the latest version is enforced, like Confluent's default.
 */
final class SchemaStore implements AutoCloseable {

  static final String TOPIC = "_schemas";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** One registered version of a subject. */
  record Version(String subject, int version, int id, Schema schema) {
    ObjectNode toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("subject", subject);
      node.put("version", version);
      node.put("id", id);
      node.put("schema", schema.toString());
      return node;
    }
  }

  private final Producer<String, String> producer;
  private final Map<String, List<Version>> versionsBySubject = new TreeMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchemaText = new HashMap<>();
  private int lastId;

  private SchemaStore(Producer<String, String> producer) {
    this.producer = producer;
  }

  /** Opens the store on a broker, creating the topic if needed and replaying it. */
  static SchemaStore open(String bootstrapServers) {
    createTopicIfMissing(bootstrapServers);
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.CLIENT_ID_CONFIG, "embedded-schema-registry");
    SchemaStore store =
        new SchemaStore(
            new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()));
    try {
      store.replay(bootstrapServers);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  synchronized List<String> subjects() {
    return new ArrayList<>(versionsBySubject.keySet());
  }

  synchronized List<Integer> versions(String subject) {
    return existing(subject).stream().map(Version::version).toList();
  }

  synchronized Version version(String subject, String version) {
    List<Version> versions = existing(subject);
    if ("latest".equals(version) || "-1".equals(version)) {
      return versions.get(versions.size() - 1);
    }
    int number;
    try {
      number = Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw RegistryError.invalidVersion(version);
    }
    if (number < 1) {
      throw RegistryError.invalidVersion(version);
    }
    return versions.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(() -> RegistryError.versionNotFound(version));
  }

  synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryError.schemaNotFound(String.valueOf(id));
    }
    return schema;
  }

  /** The version of the subject holding exactly this schema. */
  synchronized Version lookup(String subject, Schema schema) {
    return find(existing(subject), schema)
        .orElseThrow(() -> RegistryError.schemaNotFound("under subject '" + subject + "'"));
  }

  /**
   * Registers the schema under the subject and returns its version; registering a schema the
   * subject already holds returns the existing version (and id).
   */
  synchronized Version register(String subject, Schema schema) {
    List<Version> versions = versionsBySubject.getOrDefault(subject, List.of());
    Optional<Version> existing = find(versions, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    if (!versions.isEmpty()) {
      List<String> problems = incompatibilities(schema, versions.get(versions.size() - 1));
      if (!problems.isEmpty()) {
        throw new RegistryError(
            409,
            409,
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\" (compatibility BACKWARD), details: " + problems);
      }
    }
    Integer knownId = idsBySchemaText.get(schema.toString());
    int id = knownId != null ? knownId : lastId + 1;
    int number = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    Version version = new Version(subject, number, id, schema);
    persist(version);
    apply(version);
    return version;
  }

  /** What keeps the schema from reading data written with the given version; empty if none. */
  synchronized List<String> incompatibilities(Schema schema, Version against) {
    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(schema, against.schema());
    return result.getResult().getIncompatibilities().stream()
        .map(
            i ->
                i.getType() + " at " + i.getLocation() + ": " + i.getMessage()
                    + " (against version " + against.version() + ", id " + against.id() + ")")
        .toList();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  private List<Version> existing(String subject) {
    List<Version> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return versions;
  }

  private static Optional<Version> find(List<Version> versions, Schema schema) {
    String text = schema.toString();
    return versions.stream().filter(v -> v.schema().toString().equals(text)).findFirst();
  }

  private void apply(Version version) {
    List<Version> versions =
        versionsBySubject.computeIfAbsent(version.subject(), s -> new ArrayList<>());
    versions.removeIf(v -> v.version() == version.version());
    versions.add(version);
    versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
    schemasById.putIfAbsent(version.id(), version.schema());
    idsBySchemaText.putIfAbsent(version.schema().toString(), version.id());
    lastId = Math.max(lastId, version.id());
  }

  private void persist(Version version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA");
    key.put("subject", version.subject());
    key.put("version", version.version());
    try {
      producer
          .send(new ProducerRecord<>(TOPIC, key.toString(), version.toJson().toString()))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryError(500, 50001, "interrupted while storing the schema");
    } catch (ExecutionException | TimeoutException e) {
      throw new RegistryError(500, 50001, "cannot store the schema in " + TOPIC + ": " + e);
    }
  }

  private void replay(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.CLIENT_ID_CONFIG, "embedded-schema-registry-replay");
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("replaying " + TOPIC + " took longer than " + TIMEOUT);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            apply(parse(record.value()));
          }
        }
      }
    }
  }

  private static Version parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return new Version(
          node.get("subject").asText(),
          node.get("version").asInt(),
          node.get("id").asInt(),
          new Schema.Parser().parse(node.get("schema").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record in " + TOPIC + ": " + json, e);
    }
  }

  private static void createTopicIfMissing(String bootstrapServers) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      NewTopic topic =
          new NewTopic(TOPIC, 1, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + TOPIC + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + TOPIC, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating " + TOPIC + " timed out", e);
    }
  }
}
