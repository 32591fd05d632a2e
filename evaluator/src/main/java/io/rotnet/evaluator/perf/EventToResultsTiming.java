package io.rotnet.evaluator.perf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.service.EvaluatorService;
import io.rotnet.evaluator.service.EvaluatorServiceSettings;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.Tap;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The evaluators end to end: one evaluator service per demo benchmark runs on a broker, one
 * checkpoint event is published, and the time until every benchmark's result is committed to
 * the results topic is measured (feature extraction included, done once for all benchmarks).
 * Runs on fresh topics and a fresh feature cache, so nothing is reused from earlier runs.
 */
public final class EventToResultsTiming {
  private EventToResultsTiming() {}

  /** Seconds from the event to each result and to the last one. */
  public record Result(double totalSeconds, Map<String, Double> secondsPerBenchmark, List<EvalResult> results) {
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "checkpoint event -> %d results: %.1f s", results.size(), totalSeconds));
      secondsPerBenchmark.forEach((benchmark, seconds) ->
          lines.add(String.format(Locale.ROOT, "  %-16s %8.1f s", benchmark, seconds)));
      return lines;
    }
  }

  /**
   * @param spec architecture of the random-initialised checkpoint written for the run
   * @param benchmarks the demo set: one service each
   * @param workDir checkpoints and feature cache go below it
   */
  public static Result run(String bootstrapServers, String registryUrl, EvalDataset dataset, ModelSpec spec,
      List<BenchmarkSettings> benchmarks, int batch, Path workDir, Duration timeout) throws Exception {
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String checkpointsTopic = prefix + ".checkpoints";
    String resultsTopic = prefix + ".eval-results";
    createTopics(bootstrapServers, List.of(checkpointsTopic, checkpointsTopic + ".dlq", resultsTopic));
    Path root = Files.createDirectories(workDir.resolve("checkpoints"));
    WrittenCheckpoint checkpoint = writeCheckpoint(root, spec, prefix);
    FeatureCache cache = new FeatureCache(workDir.resolve("features-" + prefix));
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    ExecutorService threads = Executors.newCachedThreadPool();
    List<EvaluatorService> services = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    try {
      for (BenchmarkSettings settings : benchmarks) {
        CheckpointEvaluator evaluator = CheckpointEvaluator.builder()
            .setReader(new CheckpointReader(root)).setDataset(dataset).setRunner(new BenchmarkRunner(settings))
            .setCache(cache).optBatchSize(batch).optAlsoExtract(EnumSet.allOf(Tap.class)).build();
        String group = prefix + "-" + settings.kind().label();
        EvaluatorService service = new EvaluatorService(
            new EvaluatorServiceSettings(bootstrapServers, group, group + "-tx", false, checkpointsTopic, resultsTopic,
                Duration.ofMillis(500), Duration.ofSeconds(60), Map.of()),
            evaluator, registry);
        services.add(service);
        running.add(threads.submit(() -> {
          service.run();
          return null;
        }));
      }
      Instant published = publish(bootstrapServers, registry, checkpointsTopic, event(checkpoint, spec));
      return collect(bootstrapServers, registry, resultsTopic, benchmarks.size(), published, timeout);
    } finally {
      services.forEach(EvaluatorService::close);
      for (Future<?> future : running) {
        try {
          future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          // the result (or its absence) is what the caller sees; a failing service is in the log
        }
      }
      threads.shutdownNow();
    }
  }

  private static Result collect(String bootstrapServers, SchemaRegistryClient registry, String topic, int expected,
      Instant published, Duration timeout) throws TimeoutException {
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<EvalResult> results = new ArrayList<>();
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long deadline = System.nanoTime() + timeout.toNanos();
    double last = 0;
    try (KafkaConsumer<String, EvalResult> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry))) {
      consumer.subscribe(List.of(topic));
      while (results.size() < expected) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("only " + results.size() + " of " + expected + " results within " + timeout);
        }
        for (ConsumerRecord<String, EvalResult> record : consumer.poll(Duration.ofMillis(200))) {
          double s = Duration.between(published, Instant.now()).toMillis() / 1000.0;
          results.add(record.value());
          seconds.put(record.value().getBenchmark(), s);
          last = Math.max(last, s);
        }
      }
    }
    return new Result(last, seconds, results);
  }

  private static void createTopics(String bootstrapServers, List<String> names) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, 1, (short) 1));
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static WrittenCheckpoint writeCheckpoint(Path root, ModelSpec spec, String runId) throws Exception {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(spec, manager);
      return new CheckpointWriter(root).write(model, spec,
          CheckpointMetadata.builder().setRunId(runId).setStep(1).build());
    }
  }

  private static CheckpointEvent event(WrittenCheckpoint checkpoint, ModelSpec spec) {
    return CheckpointEvent.newBuilder()
        .setCheckpointId(checkpoint.manifest().runId() + "-step-1")
        .setRunId(checkpoint.manifest().runId())
        .setStep(1).setEpoch(0).setImagesSeen(0)
        .setUri(checkpoint.location()).setSha256(checkpoint.manifestSha256()).setSizeBytes(checkpoint.totalBytes())
        .setArchitecture(spec.architecture()).setInputSize(spec.inputSize()).setPreset("bench")
        .setPretextLoss(Math.log(4)).setPretextAccuracy(0.25).setConsumedOffsets(List.of())
        .setCreatedAt(Instant.now())
        .build();
  }

  private static Instant publish(String bootstrapServers, SchemaRegistryClient registry, String topic,
      CheckpointEvent event) throws Exception {
    try (KafkaProducer<String, CheckpointEvent> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
        AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      Instant now = Instant.now();
      producer.send(new ProducerRecord<>(topic, event.getRunId(), event)).get(30, TimeUnit.SECONDS);
      return now;
    }
  }
}
