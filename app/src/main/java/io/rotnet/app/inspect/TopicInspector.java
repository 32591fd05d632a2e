package io.rotnet.app.inspect;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.GenericAvroDeserializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the project and prints one line per record, decoded through the registry.
 * Without a consumer group it never moves anyone's offsets. It starts at the end (new records
 * only) or, with {@code fromBeginning}, at the start; it stops after {@code limit} records, or
 * once no record came for {@code idleTimeout}, unless it follows the topic until stopped. A value
 * that cannot be decoded is printed with the reason instead of ending the run. For image topics
 * it can write every view as PNG plus contact sheets.
 */
public final class TopicInspector {

  private final String bootstrapServers;
  private final SchemaRegistryClient registry;
  private final String topic;
  private final long limit;
  private final boolean fromBeginning;
  private final boolean follow;
  private final Duration idleTimeout;
  private final Path imagesTo;
  private final PrintWriter out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;

  private TopicInspector(Builder builder) {
    this.bootstrapServers = builder.bootstrapServers;
    this.registry = new SchemaRegistryClient(builder.schemaRegistryUrl);
    this.topic = builder.topic;
    this.limit = builder.limit;
    this.fromBeginning = builder.fromBeginning;
    this.follow = builder.follow;
    this.idleTimeout = builder.idleTimeout;
    this.imagesTo = builder.imagesTo;
    this.out = builder.out;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a run saw. */
  public record Result(long printed, long undecodable, int viewsWritten, List<Path> contactSheets) {}

  /** Reads and prints until the limit, the idle timeout or {@link #stop()}. */
  public Result run() {
    Deserializer<?> values = deserializerFor(topic);
    ContactSheet sheet = new ContactSheet();
    long printed = 0;
    long undecodable = 0;
    int viewsWritten = 0;
    try (KafkaConsumer<String, byte[]> kafka = newConsumer()) {
      this.consumer = kafka;
      List<TopicPartition> partitions = assignAll(kafka);
      long idleSince = System.nanoTime();
      while (stopped.getCount() > 0 && (limit == 0 || printed < limit)) {
        ConsumerRecords<String, byte[]> batch;
        try {
          batch = kafka.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          break;
        }
        if (batch.isEmpty()) {
          if (!follow && System.nanoTime() - idleSince > idleTimeout.toNanos()) {
            if (printed == 0) {
              out.printf(
                  Locale.ROOT,
                  "no %srecords on %s (%d partition(s)) within %d s%s%n",
                  fromBeginning ? "" : "new ",
                  topic,
                  partitions.size(),
                  idleTimeout.toSeconds(),
                  fromBeginning ? "" : "; --from-beginning shows the records already there");
            }
            break;
          }
          continue;
        }
        idleSince = System.nanoTime();
        for (ConsumerRecord<String, byte[]> record : batch) {
          if (limit > 0 && printed >= limit) {
            break;
          }
          Object value;
          try {
            value = values.deserialize(record.topic(), record.value());
          } catch (RuntimeException e) {
            out.println(RecordFormatter.line(record, "<undecodable: " + e.getMessage() + ">"));
            printed++;
            undecodable++;
            continue;
          }
          out.println(RecordFormatter.line(record, value));
          printed++;
          if (imagesTo != null && value instanceof RotatedImage view) {
            viewsWritten += writeView(view, sheet);
          }
        }
        out.flush();
      }
      List<Path> sheets = imagesTo == null ? List.of() : sheet.write(imagesTo);
      if (imagesTo != null) {
        out.printf(
            Locale.ROOT,
            "wrote %d view(s) and %d contact sheet(s) to %s%n",
            viewsWritten,
            sheets.size(),
            imagesTo);
      }
      out.flush();
      return new Result(printed, undecodable, viewsWritten, sheets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write images to " + imagesTo, e);
    } finally {
      this.consumer = null;
    }
  }

  /** Ends a running {@link #run()} soon (used by Ctrl-C); safe from any thread. */
  public void stop() {
    stopped.countDown();
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
  }

  private int writeView(RotatedImage view, ContactSheet sheet) throws IOException {
    BufferedImage picture;
    try {
      picture = ViewPixels.toImage(view);
    } catch (IllegalArgumentException e) {
      out.println("  (view not written: " + e.getMessage() + ")");
      return 0;
    }
    Files.createDirectories(imagesTo);
    ImageIO.write(picture, "png", imagesTo.resolve(viewFileName(view)).toFile());
    sheet.add(view, picture);
    return 1;
  }

  /** {@code <sample id made file-safe>_r<rotation>.png}. */
  static String viewFileName(RotatedImage view) {
    String safe = view.getSampleId().replaceAll("[^A-Za-z0-9._@-]", "_");
    return safe + "_r" + view.getRotation() + ".png";
  }

  private Deserializer<?> deserializerFor(String name) {
    return Topics.byName(name)
        .<Deserializer<?>>map(known -> typed(known))
        .orElseGet(() -> imageTopicGuess(name));
  }

  private <V extends org.apache.avro.specific.SpecificRecord> Deserializer<V> typed(Topic<V> known) {
    return AvroSerdes.deserializer(known, registry);
  }

  /**
   * Topics outside the contract's names: read as written. The contract's record types are generated
   * classes, so a custom image topic still yields RotatedImage values via their schema's name.
   */
  private Deserializer<?> imageTopicGuess(String name) {
    GenericAvroDeserializer generic = new GenericAvroDeserializer(registry);
    Deserializer<RotatedImage> images = AvroSerdes.deserializer(Topics.IMAGES.named(name), registry);
    return (Deserializer<Object>)
        (topicName, data) -> {
          Object value = generic.deserialize(topicName, data);
          if (value instanceof org.apache.avro.generic.GenericRecord record
              && RotatedImage.getClassSchema().getFullName().equals(record.getSchema().getFullName())) {
            return images.deserialize(topicName, data);
          }
          return value;
        };
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.CLIENT_ID_CONFIG, "rotnet-inspect",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> kafka) {
    List<PartitionInfo> infos = kafka.listTopics(Duration.ofSeconds(30)).get(topic);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("topic " + topic + " does not exist on " + bootstrapServers);
    }
    List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    kafka.assign(partitions);
    if (fromBeginning) {
      kafka.seekToBeginning(partitions);
    } else {
      kafka.seekToEnd(partitions);
    }
    partitions.forEach(kafka::position); // resolve the seek now, before records arrive
    return partitions;
  }

  /** Builder: addresses, topic and output are required. */
  public static final class Builder {
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private String topic;
    private long limit;
    private boolean fromBeginning;
    private boolean follow;
    private Duration idleTimeout = Duration.ofSeconds(5);
    private Path imagesTo;
    private PrintWriter out;

    private Builder() {}

    public Builder setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder setSchemaRegistryUrl(String schemaRegistryUrl) {
      this.schemaRegistryUrl = schemaRegistryUrl;
      return this;
    }

    public Builder setTopic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder setOut(PrintWriter out) {
      this.out = out;
      return this;
    }

    /** Stop after this many records; 0 for no limit (default). */
    public Builder optLimit(long limit) {
      this.limit = limit;
      return this;
    }

    public Builder optFromBeginning(boolean fromBeginning) {
      this.fromBeginning = fromBeginning;
      return this;
    }

    /** Keep reading until stopped instead of ending when the topic goes quiet. */
    public Builder optFollow(boolean follow) {
      this.follow = follow;
      return this;
    }

    /** How long without records ends a run that does not follow (default 5 s). */
    public Builder optIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Folder for the views as PNG and the contact sheets; null for none (default). */
    public Builder optImagesTo(Path imagesTo) {
      this.imagesTo = imagesTo;
      return this;
    }

    public TopicInspector build() {
      Objects.requireNonNull(bootstrapServers, "bootstrap servers");
      Objects.requireNonNull(schemaRegistryUrl, "schema registry URL");
      Objects.requireNonNull(out, "out");
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("topic must not be blank");
      }
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative, got " + limit);
      }
      if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idle timeout must be positive");
      }
      return new TopicInspector(this);
    }
  }
}
