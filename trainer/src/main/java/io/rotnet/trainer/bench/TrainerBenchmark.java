package io.rotnet.trainer.bench;

import ai.djl.Device;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.input.BatchPrefetcher;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.input.StreamPosition;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code rotnet bench trainer}: the same training step fed from the image topic through the
 * prefetcher and fed from in-memory batches of the same shape, timed in alternating rounds in one
 * process, so their ratio shows what the input path costs the step; the prefetcher's rate with no
 * training behind it; and ResNet-50 CPU training throughput at a small input.
 */
public final class TrainerBenchmark {

  private final KafkaSettings kafka;
  private static final int PREFETCH_HEADROOM = 3;

  private final BenchPlan plan;
  private final PixelEncoding encoding;
  private final Device device;
  private final PrintWriter log;

  private TrainerBenchmark(Builder builder) {
    this.kafka = builder.kafka;
    this.plan = builder.plan;
    this.encoding = builder.encoding;
    this.device = plan.device();
    this.log = builder.log;
  }

  public static Builder builder() {
    return new Builder();
  }

  public TrainerBenchResult run() throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(kafka.schemaRegistryUrl());
    List<FeedComparison> comparisons = new ArrayList<>();
    try (KafkaProducer<String, DeadLetter> deadLetters =
        DeadLetters.newProducer(kafka.producerConfig("bench-dead-letters"), registry)) {
      TrainingPreset preset = plan.preset();
      comparisons.add(
          compare(
              preset.name(),
              preset,
              plan.steps(),
              plan.rounds(),
              plan.warmUpSteps(),
              true,
              registry,
              deadLetters));
      if (plan.resnet50Steps() > 0) {
        comparisons.add(
            compare(
                "resnet50",
                plan.resnet50(),
                plan.resnet50Steps(),
                plan.resnet50Rounds(),
                2,
                false,
                registry,
                deadLetters));
      }
    }
    return new TrainerBenchResult(
        encoding.name(),
        device.toString(),
        Runtime.getRuntime().availableProcessors(),
        comparisons);
  }

  /** Trains one preset from both feeds in alternating blocks, after warming both up. */
  private FeedComparison compare(
      String label,
      TrainingPreset trained,
      int timedSteps,
      int blocks,
      int warmUp,
      boolean withInputOnly,
      SchemaRegistryClient registry,
      KafkaProducer<String, DeadLetter> deadLetters)
      throws Exception {
    String topic = "bench.trainer." + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic);
    // Distinct groups for every Kafka-fed step, then for the prefetcher-only pass.
    // Batches beyond the last timed one, so the prefetcher's queue can fill before a memory block
    // that follows the final Kafka block (its depth plus the one being filled).
    int kafkaBatches = blocks * timedSteps + warmUp + PREFETCH_HEADROOM;
    int inputOnlyBatches = withInputOnly ? Math.max(timedSteps, 20) : 0;
    int groupCount = (kafkaBatches + inputOnlyBatches) * trained.groupsPerBatch();
    say(
        "%s: producing %d rotation groups (%s, %d px) to %s",
        label, groupCount, encoding, trained.inputSize(), topic);
    List<List<RotatedImage>> groups =
        BenchScenes.groups(groupCount, trained.inputSize(), encoding, 1);
    produce(topic, registry, groups);

    double inputOnly = Double.NaN;
    if (withInputOnly) {
      inputOnly =
          inputOnlyRate(trained, topic, registry, deadLetters, kafkaBatches, inputOnlyBatches);
      say("%s: input only %.1f img/s", label, inputOnly);
    }
    long memoryNanos = 0;
    long kafkaNanos = 0;
    long waitedNanos = 0;
    long images = 0;
    // Per-step times of the memory feed, for a median comparable with PyTorch's anchor script.
    List<Long> memoryStepNanos = new ArrayList<>();
    try (BenchTrainee trainee = new BenchTrainee(trained, device, plan.fusedUpdate());
        BatchPrefetcher source =
            prefetcher(trained, topic, registry, deadLetters, StreamPosition.beginning()).start()) {
      List<HostBatch> inMemory =
          BenchScenes.hostBatches(groups.subList(0, 2 * trained.groupsPerBatch()), trained);
      int next = 0;
      // Warm both feeds up (JIT, allocator, the consumer's first fetches) before timing.
      for (int i = 0; i < warmUp; i++) {
        trainee.step(inMemory.get(next++ % inMemory.size()), false);
        trainee.step(take(source), true);
      }
      for (int block = 0; block < blocks; block++) {
        // Alternate which feed goes first, so a load that drifts favours neither.
        boolean memoryFirst = block % 2 == 0;
        for (int feed = 0; feed < 2; feed++) {
          boolean memoryFeed = (feed == 0) == memoryFirst;
          if (memoryFeed && !source.awaitFull(Duration.ofSeconds(60))) {
            // Otherwise the reader would refill its queue during the memory block, on its time.
            throw new IllegalStateException("the prefetcher did not fill its queue within 60 s");
          }
          long start = System.nanoTime();
          for (int i = 0; i < timedSteps; i++) {
            if (memoryFeed) {
              long stepStart = System.nanoTime();
              trainee.step(inMemory.get(next++ % inMemory.size()), false);
              memoryStepNanos.add(System.nanoTime() - stepStart);
            } else {
              long asked = System.nanoTime();
              HostBatch batch = take(source);
              waitedNanos += System.nanoTime() - asked;
              trainee.step(batch, true);
            }
          }
          long elapsed = System.nanoTime() - start;
          if (memoryFeed) {
            memoryNanos += elapsed;
          } else {
            kafkaNanos += elapsed;
          }
        }
        images += (long) timedSteps * trained.batchSize();
        say(
            "%s round %d: memory %.1f img/s (median step %.1f img/s), Kafka %.1f img/s,"
                + " input waits %.0f ms (cumulative)",
            label,
            block + 1,
            images / (memoryNanos / 1e9),
            medianRate(memoryStepNanos, trained.batchSize()),
            images / (kafkaNanos / 1e9),
            waitedNanos / 1e6);
      }
    }
    return new FeedComparison(
        label,
        trained.batchSize(),
        trained.inputSize(),
        timedSteps,
        blocks,
        images / (memoryNanos / 1e9),
        medianRate(memoryStepNanos, trained.batchSize()),
        images / (kafkaNanos / 1e9),
        waitedNanos / 1e6,
        inputOnly);
  }

  /** Images per second of the median step. */
  private static double medianRate(List<Long> stepNanos, int batchSize) {
    List<Long> sorted = stepNanos.stream().sorted().toList();
    return batchSize / (sorted.get(sorted.size() / 2) / 1e9);
  }

  /** How fast the prefetcher delivers batches when nothing trains: the input path's ceiling. */
  private double inputOnlyRate(
      TrainingPreset preset,
      String topic,
      SchemaRegistryClient registry,
      KafkaProducer<String, DeadLetter> deadLetters,
      int skipBatches,
      int batches)
      throws InterruptedException {
    long skipRecords = (long) skipBatches * preset.batchSize();
    StreamPosition start = StreamPosition.decode(topic + " 0 " + skipRecords + "\n");
    try (BatchPrefetcher source = prefetcher(preset, topic, registry, deadLetters, start).start()) {
      take(source).release();
      long begin = System.nanoTime();
      for (int i = 1; i < batches; i++) {
        take(source).release();
      }
      return (double) (batches - 1) * preset.batchSize() / ((System.nanoTime() - begin) / 1e9);
    }
  }

  private static HostBatch take(BatchPrefetcher source) throws InterruptedException {
    Optional<HostBatch> batch = source.next(Duration.ofSeconds(60));
    return batch.orElseThrow(() -> new IllegalStateException("no batch from Kafka within 60 s"));
  }

  private BatchPrefetcher prefetcher(
      TrainingPreset preset,
      String topic,
      SchemaRegistryClient registry,
      KafkaProducer<String, DeadLetter> deadLetters,
      StreamPosition start) {
    DeadLetterRouter<RotatedImage> router =
        DeadLetterRouter.builder(Topics.IMAGES.named(topic), registry)
            .setProducer(deadLetters)
            .setService("trainer-bench")
            .build();
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            kafka.consumerConfig("rotnet-trainer-bench-" + UUID.randomUUID()),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    return BatchPrefetcher.builder()
        .setConsumer(consumer)
        .setTopic(topic)
        .setRouter(router)
        .setGroupsPerBatch(preset.groupsPerBatch())
        .setInputSize(preset.inputSize())
        .optStartPosition(start)
        .build();
  }

  private void produce(
      String topic, SchemaRegistryClient registry, List<List<RotatedImage>> groups) {
    Map<String, Object> config = kafka.producerConfig("bench-images");
    config.put("linger.ms", 10);
    try (KafkaProducer<String, RotatedImage> producer =
        new KafkaProducer<>(
            config, new StringSerializer(), AvroSerdes.serializer(Topics.IMAGES, registry))) {
      for (List<RotatedImage> group : groups) {
        for (RotatedImage view : group) {
          producer.send(new ProducerRecord<>(topic, view.getSampleId(), view));
        }
      }
      producer.flush();
    }
  }

  private void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private void say(String format, Object... args) {
    if (log != null) {
      log.printf(format + "%n", args);
      log.flush();
    }
  }

  /** Settings: Kafka settings are required. */
  public static final class Builder {
    private KafkaSettings kafka;
    private BenchPlan plan = BenchPlan.feeds();
    private PixelEncoding encoding = PixelEncoding.RAW_RGB8;
    private PrintWriter log;

    private Builder() {}

    public Builder setKafka(KafkaSettings kafka) {
      this.kafka = kafka;
      return this;
    }

    /** Presets, steps and rounds; default {@link BenchPlan#feeds()}. */
    public Builder optPlan(BenchPlan plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /** Pixel encoding of the records; default RAW_RGB8, as the producer writes by default. */
    public Builder optEncoding(PixelEncoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** Where progress lines go; default none. */
    public Builder optLog(PrintWriter log) {
      this.log = log;
      return this;
    }

    public TrainerBenchmark build() {
      Objects.requireNonNull(kafka, "Kafka settings are required (setKafka)");
      return new TrainerBenchmark(this);
    }
  }
}
