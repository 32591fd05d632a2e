package io.rotnet.devstack.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark P4: produce+consume throughput of ~40 KB RotatedImage records through the Avro serde
 * and the registry, against raw byte[] values of exactly the same size, on the same broker with
 * the same topic and client settings. Each path has a long-lived producer and consumer, as a
 * service would; a round sends N records and flushes (produce time), then reads exactly those N
 * back, deserializing them (consume time). The paths alternate, swapping order each round, after
 * one warm-up round each; the report gives medians and the Avro/raw ratio.
 */
public final class SerdeBenchmark {

  private static final double MB = 1_000_000.0;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final EmbeddedStack stack;
  private final Settings settings;

  /** What to measure: record size, records per round and measured rounds. */
  public record Settings(int pixelBytes, int records, int rounds) {
    public Settings {
      if (pixelBytes < 1 || records < 1 || rounds < 1) {
        throw new IllegalArgumentException(
            "pixel bytes, records and rounds must be positive: " + pixelBytes + ", " + records
                + ", " + rounds);
      }
    }

    /** 40 KiB of pixels per record, 1500 records per round, 5 rounds. */
    public static Settings defaults() {
      return new Settings(40 * 1024, 1500, 5);
    }
  }

  /** Throughput of one path in one round, in MB/s (10^6 bytes per second) of value bytes. */
  public record Round(double produceMBps, double consumeMBps, double produceConsumeMBps) {}

  /** Medians over the measured rounds. */
  public record Result(
      Settings settings,
      int valueBytes,
      List<Round> avroRounds,
      List<Round> rawRounds) {

    public double avroMBps() {
      return median(avroRounds, Round::produceConsumeMBps);
    }

    public double rawMBps() {
      return median(rawRounds, Round::produceConsumeMBps);
    }

    /** Avro throughput over raw throughput; the goal is at least 0.80. */
    public double ratio() {
      return avroMBps() / rawMBps();
    }

    /** A short human-readable report. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              "records: %d per round x %d rounds, value %d bytes (%d bytes of pixels), 1 partition,"
                  + " acks=all",
              settings.records(), settings.rounds(), valueBytes, settings.pixelBytes()));
      lines.add(row("avro+registry", avroRounds));
      lines.add(row("raw byte[]", rawRounds));
      lines.add(String.format("ratio avro/raw (produce+consume): %.2f", ratio()));
      return lines;
    }

    private static String row(String name, List<Round> rounds) {
      return String.format(
          "%-14s produce %6.1f MB/s  consume %6.1f MB/s  produce+consume %6.1f MB/s (median)",
          name,
          median(rounds, Round::produceMBps),
          median(rounds, Round::consumeMBps),
          median(rounds, Round::produceConsumeMBps));
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
      double[] values = rounds.stream().mapToDouble(f).sorted().toArray();
      int mid = values.length / 2;
      return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
  }

  public SerdeBenchmark(EmbeddedStack stack, Settings settings) {
    this.stack = stack;
    this.settings = settings;
  }

  public Result run() {
    SchemaRegistryClient registry = stack.newRegistryClient();
    List<RotatedImage> images = images(settings.pixelBytes());
    int valueBytes =
        AvroSerdes.serializer(Topics.IMAGES, registry)
            .serialize("bench.serde.size", images.get(0))
            .length;
    List<Round> avroRounds = new ArrayList<>();
    List<Round> rawRounds = new ArrayList<>();
    try (Lane<RotatedImage> avro =
            new Lane<>(
                "bench.serde.avro",
                images,
                AvroSerdes.serializer(Topics.IMAGES, registry),
                AvroSerdes.deserializer(Topics.IMAGES, registry),
                image -> image.getPixels().remaining(),
                valueBytes);
        Lane<byte[]> raw =
            new Lane<>(
                "bench.serde.raw",
                rawValues(valueBytes),
                new ByteArraySerializer(),
                new ByteArrayDeserializer(),
                value -> value.length,
                valueBytes)) {
      // One warm-up round per lane (JIT, connections, schema registration), not reported.
      avro.round();
      raw.round();
      for (int round = 0; round < settings.rounds(); round++) {
        if (round % 2 == 0) {
          avroRounds.add(avro.round());
          rawRounds.add(raw.round());
        } else {
          rawRounds.add(raw.round());
          avroRounds.add(avro.round());
        }
      }
    }
    return new Result(settings, valueBytes, avroRounds, rawRounds);
  }

  /**
   * One path: its own topic (same settings for both), a long-lived producer, and a consumer
   * assigned to the partition that reads back exactly the records of each round.
   */
  private final class Lane<V> implements AutoCloseable {
    private final TopicPartition partition;
    private final List<V> values;
    private final ToIntFunction<V> touch;
    private final long roundBytes;
    private final KafkaProducer<String, V> producer;
    private final KafkaConsumer<String, V> consumer;

    Lane(
        String topic,
        List<V> values,
        Serializer<V> serializer,
        Deserializer<V> deserializer,
        ToIntFunction<V> touch,
        int valueBytes) {
      stack.createTopic(topic, 1);
      this.partition = new TopicPartition(topic, 0);
      this.values = values;
      this.touch = touch;
      this.roundBytes = (long) settings.records() * valueBytes;
      this.producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), serializer);
      this.consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), deserializer);
      producer.partitionsFor(topic);
      consumer.assign(List.of(partition));
    }

    Round round() {
      long firstOffset = consumer.endOffsets(List.of(partition)).get(partition);

      long produceStart = System.nanoTime();
      for (int i = 0; i < settings.records(); i++) {
        producer.send(
            new ProducerRecord<>(partition.topic(), "k" + (i % 64), values.get(i % values.size())));
      }
      producer.flush();
      long produceNanos = System.nanoTime() - produceStart;

      consumer.seek(partition, firstOffset);
      long consumeStart = System.nanoTime();
      long deadline = consumeStart + DEADLINE.toNanos();
      long touched = 0;
      int received = 0;
      while (received < settings.records()) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "read " + received + " of " + settings.records() + " records within " + DEADLINE);
        }
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
          touched += touch.applyAsInt(record.value());
          received++;
        }
      }
      long consumeNanos = System.nanoTime() - consumeStart;
      if (touched <= 0) {
        throw new IllegalStateException("no payload bytes were read");
      }
      return new Round(
          roundBytes / MB / (produceNanos / 1e9),
          roundBytes / MB / (consumeNanos / 1e9),
          roundBytes / MB / ((produceNanos + consumeNanos) / 1e9));
    }

    @Override
    public void close() {
      producer.close();
      consumer.close();
    }
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return config;
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return config;
  }

  /** A few distinct images, so values are not all one array. */
  private static List<RotatedImage> images(int pixelBytes) {
    Random random = new Random(42);
    List<RotatedImage> images = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] pixels = new byte[pixelBytes];
      random.nextBytes(pixels);
      images.add(
          RotatedImage.newBuilder()
              .setSampleId("bench-" + i + "@0")
              .setSourceUri("file:///bench/" + i + ".png")
              .setSourceLabel(null)
              .setEpoch(0)
              .setIndexInEpoch(i)
              .setDatasetSize(16)
              .setRotation(i % 4)
              .setHeight(1)
              .setWidth(pixelBytes / 3)
              .setChannels(3)
              .setEncoding(PixelEncoding.RAW_RGB8)
              .setPixels(ByteBuffer.wrap(pixels))
              .setProducedAt(Instant.ofEpochMilli(1_767_225_600_000L + i))
              .build());
    }
    return images;
  }

  private static List<byte[]> rawValues(int valueBytes) {
    Random random = new Random(43);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      values.add(value);
    }
    return values;
  }
}
