package io.rotnet.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.run.Fixtures;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedStackExtension.class)
class EvaluatorServiceTest {
  @TempDir static Path dir;
  static EvalDataset shapes;
  static Path root;
  static final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void prepare() throws Exception {
    shapes = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 30, 15)).open();
    root = Files.createDirectories(dir.resolve("checkpoints"));
  }

  @AfterAll
  static void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void oneResultPerCheckpointDeadLettersForBadEventsAndNoSecondResultOnReplay(EmbeddedStack stack) throws Exception {
    String checkpoints = "a.checkpoints";
    String results = "a.eval-results";
    stack.createTopic(checkpoints, 2);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    WrittenCheckpoint first = Fixtures.checkpoint(root, "runa", 100);
    WrittenCheckpoint second = Fixtures.checkpoint(root, "runa", 200);
    WrittenCheckpoint tampered = Fixtures.checkpoint(root, "runb", 7);
    flipByte(tampered.directory().resolve(CheckpointLayout.PARAMETERS_FILE), 300);
    WrittenCheckpoint misplaced = Fixtures.checkpoint(root, "rund", 5);

    try (KafkaProducer<String, CheckpointEvent> events = eventProducer(stack, registry);
        KafkaProducer<String, byte[]> raw = rawProducer(stack)) {
      send(events, checkpoints, Fixtures.event(first));
      send(events, checkpoints, Fixtures.event(first)); // announced twice
      send(events, checkpoints, Fixtures.event(tampered));
      send(events, checkpoints, Fixtures.event(misplaced, "../../etc", misplaced.manifestSha256()));
      raw.send(new ProducerRecord<>(checkpoints, "junk", new byte[] {0, 0, 0, 0, 42, 1, 2})).get();
      send(events, checkpoints, Fixtures.event(second));
    }

    EvaluatorServiceSettings settings = settings(stack, checkpoints, results, "group-a");
    EvaluatorService service = new EvaluatorService(settings, knnEvaluator(), registry);
    Future<?> running = threads.submit(() -> {
      service.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(90)).until(() -> committed(stack, "group-a", checkpoints) == 6);
    service.close();
    running.get(30, TimeUnit.SECONDS);

    List<ConsumerRecord<String, EvalResult>> published =
        TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry));
    assertThat(published).extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("runa-step-100/knn/shapes", "runa-step-200/knn/shapes");
    List<ConsumerRecord<String, DeadLetter>> letters =
        TopicReader.readAll(stack, checkpoints + ".dlq", AvroSerdes.deserializer(Topics.CHECKPOINTS_DLQ, registry));
    assertThat(letters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("runb-step-7", "rund-step-5", "junk");
    assertThat(letters).extracting(r -> r.value().getReason())
        .anySatisfy(reason -> assertThat(reason).contains("bad-checkpoint").contains("HASH_MISMATCH"))
        .anySatisfy(reason -> assertThat(reason).contains("bad-checkpoint").contains("OUTSIDE_ROOT"))
        .anySatisfy(reason -> assertThat(reason).doesNotContain("bad-checkpoint"));
    assertThat(service.counters()).isEqualTo(new EvaluatorService.Counters(2, 1, 0, 0, 3));

    // a second group replays every event: the results topic already holds both keys
    EvaluatorService replay = new EvaluatorService(settings(stack, checkpoints, results, "group-replay"), knnEvaluator(), registry);
    Future<?> replaying = threads.submit(() -> {
      replay.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, "group-replay", checkpoints) == 6);
    replay.close();
    replaying.get(30, TimeUnit.SECONDS);

    assertThat(TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry))).hasSize(2);
    assertThat(replay.counters().published()).isZero();
    assertThat(replay.counters().duplicates()).isEqualTo(3);
  }

  @Test
  void latestOnlyEvaluatesTheNewestOfSeveralWaitingCheckpoints(EmbeddedStack stack) throws Exception {
    String checkpoints = "b.checkpoints";
    String results = "b.eval-results";
    stack.createTopic(checkpoints, 1);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, CheckpointEvent> events = eventProducer(stack, registry)) {
      for (long step : new long[] {10, 20, 30}) {
        send(events, checkpoints, Fixtures.event(Fixtures.checkpoint(root, "runc", step)));
      }
    }

    EvaluatorService service = new EvaluatorService(
        settings(stack, checkpoints, results, "group-b").withLatestOnly(true), knnEvaluator(), registry);
    Future<?> running = threads.submit(() -> {
      service.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, "group-b", checkpoints) == 3);
    service.close();
    running.get(30, TimeUnit.SECONDS);

    assertThat(TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry)))
        .extracting(ConsumerRecord::key).containsExactly("runc-step-30/knn/shapes");
    assertThat(service.counters().superseded()).isEqualTo(2);
  }

  @Test
  void everyStepsEvaluatesOnlyTheCheckpointsOnItsGridAndLatestOnlyPicksAmongThem(EmbeddedStack stack)
      throws Exception {
    String checkpoints = "g.checkpoints";
    String results = "g.eval-results";
    stack.createTopic(checkpoints, 1);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, CheckpointEvent> events = eventProducer(stack, registry)) {
      for (long step : new long[] {10, 20, 30, 40, 50}) {
        send(events, checkpoints, Fixtures.event(Fixtures.checkpoint(root, "rung", step)));
      }
    }

    EvaluatorService every = new EvaluatorService(
        settings(stack, checkpoints, results, "group-g").withEverySteps(20), knnEvaluator(), registry);
    Future<?> running = threads.submit(() -> {
      every.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, "group-g", checkpoints) == 5);
    every.close();
    running.get(30, TimeUnit.SECONDS);
    assertThat(TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry)))
        .extracting(ConsumerRecord::key).containsExactly("rung-step-20/knn/shapes", "rung-step-40/knn/shapes");
    assertThat(every.counters().notDue()).isEqualTo(3);

    // the same events, read again by another group that wants only the newest on the grid
    EvaluatorService newest = new EvaluatorService(
        settings(stack, checkpoints, results, "group-h").withEverySteps(20).withLatestOnly(true), knnEvaluator(),
        registry);
    Future<?> second = threads.submit(() -> {
      newest.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, "group-h", checkpoints) == 5);
    newest.close();
    second.get(30, TimeUnit.SECONDS);
    assertThat(newest.counters().published()).isZero(); // step 40 already has its result
    assertThat(newest.counters().duplicates()).isEqualTo(1);
    assertThat(newest.counters().superseded()).isEqualTo(1);
    assertThat(newest.counters().notDue()).isEqualTo(3);
  }

  @Test
  void stoppingDuringAnEvaluationCommitsNothingAndTheNextInstanceEvaluatesIt(EmbeddedStack stack) throws Exception {
    String checkpoints = "c.checkpoints";
    String results = "c.eval-results";
    stack.createTopic(checkpoints, 1);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, CheckpointEvent> events = eventProducer(stack, registry)) {
      send(events, checkpoints, Fixtures.event(Fixtures.checkpoint(root, "rune", 1)));
    }
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    // the same images, behind a source that blocks until the service gives up on it
    ImageSource blocking = new ImageSource() {
      @Override
      public int size() {
        return shapes.train().size();
      }

      @Override
      public java.awt.image.BufferedImage read(int index) {
        reading.countDown();
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DatasetException("interrupted while reading");
        }
        return shapes.train().images().read(index);
      }

      @Override
      public String describe(int index) {
        return shapes.train().images().describe(index);
      }
    };
    EvalDataset stuck = new EvalDataset(shapes.name(),
        DatasetSplit.singleLabel("shapes/train", blocking, shapes.train().classNames(), shapes.train().labels()),
        shapes.test(), shapes.fingerprint() + "-blocking");

    EvaluatorService first = new EvaluatorService(settings(stack, checkpoints, results, "group-c"), knnEvaluator(stuck), registry);
    Future<?> running = threads.submit(() -> {
      first.run();
      return null;
    });
    assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
    first.close();
    running.get(30, TimeUnit.SECONDS);

    assertThat(committed(stack, "group-c", checkpoints)).isZero();
    assertThat(TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry))).isEmpty();

    EvaluatorService second = new EvaluatorService(settings(stack, checkpoints, results, "group-c"), knnEvaluator(), registry);
    Future<?> again = threads.submit(() -> {
      second.run();
      return null;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, "group-c", checkpoints) == 1);
    second.close();
    again.get(30, TimeUnit.SECONDS);
    assertThat(TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry)))
        .extracting(ConsumerRecord::key).containsExactly("rune-step-1/knn/shapes");
  }

  private static EvaluatorServiceSettings settings(EmbeddedStack stack, String checkpoints, String results, String group) {
    return new EvaluatorServiceSettings(stack.bootstrapServers(), group, group + "-tx", false, checkpoints, results,
        Duration.ofMillis(200), Duration.ofSeconds(30), Map.of());
  }

  private static CheckpointEvaluator knnEvaluator() throws Exception {
    return knnEvaluator(shapes);
  }

  private static CheckpointEvaluator knnEvaluator(EvalDataset dataset) throws Exception {
    return CheckpointEvaluator.builder()
        .setReader(new CheckpointReader(root))
        .setDataset(dataset)
        .setRunner(new BenchmarkRunner(BenchmarkSettings.defaults(BenchmarkKind.KNN).withKnnKs(new int[] {3}).withThreads(2)))
        .setCache(new FeatureCache(dir.resolve("cache")))
        .optBatchSize(16)
        .build();
  }

  /** Sum of the group's committed offsets on the topic. */
  private static long committed(EmbeddedStack stack, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return offsets.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    }
  }

  private static KafkaProducer<String, CheckpointEvent> eventProducer(EmbeddedStack stack, SchemaRegistryClient registry) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), AvroSerdes.serializer(Topics.CHECKPOINTS, registry));
  }

  private static KafkaProducer<String, byte[]> rawProducer(EmbeddedStack stack) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
  }

  private static void send(KafkaProducer<String, CheckpointEvent> producer, String topic, CheckpointEvent event) throws Exception {
    producer.send(new ProducerRecord<>(topic, event.getCheckpointId(), event)).get();
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(~b & 0xff);
    }
  }
}
