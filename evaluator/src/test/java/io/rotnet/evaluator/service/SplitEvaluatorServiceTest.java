package io.rotnet.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.run.Fixtures;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.schemas.Topic;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.TaskPart;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedStackExtension.class)
class SplitEvaluatorServiceTest {
  @TempDir static Path dir;
  static final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterAll
  static void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void twoInstancesShareACheckpointsTapsAndFinishATaskOfAnInstanceStoppedMidTask(EmbeddedStack stack) throws Exception {
    String checkpoints = "s.checkpoints";
    String results = "s.eval-results";
    createTopics(stack, checkpoints, results);
    SchemaRegistryClient registry = stack.newRegistryClient();
    EvalDataset shapes = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 30, 15)).open();
    Path root = Files.createDirectories(dir.resolve("checkpoints"));
    CheckpointEvent first = Fixtures.event(Fixtures.checkpoint(root, "runs", 1));
    CheckpointEvent second = Fixtures.event(Fixtures.checkpoint(root, "runs", 2));
    CheckpointEvent otherArchitecture = Fixtures.event(Fixtures.checkpoint(root, "runx", 3));
    otherArchitecture.setArchitecture("resnet50");

    AtomicBoolean blockA = new AtomicBoolean();
    CountDownLatch aInTask = new CountDownLatch(1);
    SplitEvaluatorService a = new SplitEvaluatorService(settings(stack, checkpoints, results, "a"),
        svmEvaluator(root, shapes), registry, 4);
    SplitEvaluatorService b = new SplitEvaluatorService(settings(stack, checkpoints, results, "b"),
        svmEvaluator(root, shapes), registry, 4);
    a.onTaskStart(task -> {
      if (blockA.get()) {
        aInTask.countDown();
        try {
          new CountDownLatch(1).await(); // a task that runs until the instance is stopped
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("stopped mid-task");
        }
      }
    });
    Future<?> runningA = start(a);
    Future<?> runningB = start(b);
    awaitBothAssigned(a, b, runningA, runningB);

    try (KafkaProducer<String, CheckpointEvent> events = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
        AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      events.send(new ProducerRecord<>(checkpoints, otherArchitecture.getRunId(), otherArchitecture)).get();
      events.send(new ProducerRecord<>(checkpoints, first.getRunId(), first)).get();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        failIfStopped(runningA, runningB);
        return readResults(stack, registry, results).size() == 1;
      });

      // both instances evaluated taps of the one checkpoint; one result holds all of them
      assertThat(a.tasksEvaluated()).isPositive();
      assertThat(b.tasksEvaluated()).isPositive();
      assertThat(a.tasksEvaluated() + b.tasksEvaluated()).isEqualTo(5);
      EvalResult merged = readResults(stack, registry, results).get(0).value();
      CheckpointEvaluator whole = svmEvaluator(root, shapes);
      List<EvalRow> expected = whole.evaluate(first, whole.verify(first)).getRows();
      assertThat(merged.getRows()).isEqualTo(expected);
      assertThat(merged.getRows()).extracting(EvalRow::getTap)
          .startsWith("feature1", "feature2", "feature3", "feature4", "feature5");

      // instance a is stopped while it runs a task of the second checkpoint: b runs it again
      blockA.set(true);
      events.send(new ProducerRecord<>(checkpoints, second.getRunId(), second)).get();
      assertThat(aInTask.await(60, TimeUnit.SECONDS)).isTrue();
    }
    long doneByA = a.tasksEvaluated();
    a.close();
    runningA.get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(90)).until(() -> readResults(stack, registry, results).size() == 2);
    b.close();
    runningB.get(30, TimeUnit.SECONDS);

    List<ConsumerRecord<String, EvalResult>> published = readResults(stack, registry, results);
    assertThat(published).extracting(ConsumerRecord::key)
        .containsExactly("runs-step-1/svm/shapes", "runs-step-2/svm/shapes");
    assertThat(published.get(1).value().getRows()).hasSize(6);
    assertThat(a.tasksEvaluated()).isEqualTo(doneByA);
    assertThat(a.tasksEvaluated() + b.tasksEvaluated()).isEqualTo(10);
    assertThat(a.published() + b.published()).isEqualTo(2);
    List<ConsumerRecord<String, DeadLetter>> letters = TopicReader.readAll(stack, checkpoints + ".dlq",
        AvroSerdes.deserializer(Topics.CHECKPOINTS_DLQ, registry));
    assertThat(letters).extracting(r -> r.value().getReason())
        .singleElement().asString().contains("ARCHITECTURE_MISMATCH").contains("resnet50");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of(a.tasksTopic())).allTopicNames().get(10, TimeUnit.SECONDS)
          .get(a.tasksTopic()).partitions()).hasSize(4);
    }
  }

  @Test
  void twoKnnInstancesSearchShardsOfTheTrainBankAndPublishTheVoteOfTheMergedListsOnce(EmbeddedStack stack)
      throws Exception {
    String checkpoints = "k.checkpoints";
    String results = "k.eval-results";
    createTopics(stack, checkpoints, results);
    SchemaRegistryClient registry = stack.newRegistryClient();
    EvalDataset shapes = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("knn-data"), 30, 15)).open();
    Path root = Files.createDirectories(dir.resolve("knn-checkpoints"));
    CheckpointEvent event = Fixtures.event(Fixtures.checkpoint(root, "runk", 1));
    SplitEvaluatorService a = new SplitEvaluatorService(knnSettings(stack, checkpoints, results, "a"),
        knnEvaluator(root, shapes, 3), registry, 4);
    SplitEvaluatorService b = new SplitEvaluatorService(knnSettings(stack, checkpoints, results, "b"),
        knnEvaluator(root, shapes, 3), registry, 4);
    a.maxBlockBytes(4 * 10 * 8); // 4 queries of 10 neighbours a part: each shard's lists in 4 parts
    b.maxBlockBytes(4 * 10 * 8);
    Future<?> runningA = start(a);
    Future<?> runningB = start(b);
    awaitBothAssigned(a, b, runningA, runningB);

    try (KafkaProducer<String, CheckpointEvent> events = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
        AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      events.send(new ProducerRecord<>(checkpoints, event.getRunId(), event)).get();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      failIfStopped(runningA, runningB);
      return readResults(stack, registry, results).size() == 1;
    });
    a.close();
    b.close();
    runningA.get(30, TimeUnit.SECONDS);
    runningB.get(30, TimeUnit.SECONDS);

    assertThat(a.tasksEvaluated() + b.tasksEvaluated()).isEqualTo(3);
    assertThat(a.published() + b.published()).isEqualTo(1);
    CheckpointEvaluator whole = knnEvaluator(root, shapes, 1);
    List<EvalRow> expected = whole.evaluate(event, whole.verify(event)).getRows();
    EvalResult merged = readResults(stack, registry, results).get(0).value();
    assertThat(merged.getRows()).isEqualTo(expected);
    assertThat(merged.getRows()).extracting(EvalRow::getTap).containsExactly("k=5", "k=5", "k=20", "k=20");
    List<ConsumerRecord<String, TaskPart>> parts = TopicReader.readAll(stack, checkpoints + ".parts.split-knn",
        AvroSerdes.deserializer(new Topic<>(checkpoints + ".parts.split-knn", TaskPart.class), registry));
    assertThat(parts).hasSize(3 * 4);
    assertThat(parts).allSatisfy(part -> {
      assertThat(part.value().getChunkCount()).isEqualTo(4);
      assertThat(part.value().getNeighbours().getK()).isEqualTo(10);
    });
  }

  private static void createTopics(EmbeddedStack stack, String checkpoints, String results) throws Exception {
    stack.createTopic(checkpoints, 2);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
  }

  private static Future<?> start(SplitEvaluatorService service) {
    return threads.submit(() -> {
      service.run();
      return null;
    });
  }

  /** Both instances hold partitions of the 2 checkpoint, 4 task and 4 part partitions. */
  private static void awaitBothAssigned(SplitEvaluatorService a, SplitEvaluatorService b, Future<?>... running) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      failIfStopped(running);
      return a.assignment().size() + b.assignment().size() == 2 + 4 + 4 && !a.assignment().isEmpty()
          && !b.assignment().isEmpty();
    });
  }

  private static List<ConsumerRecord<String, EvalResult>> readResults(EmbeddedStack stack, SchemaRegistryClient registry,
      String results) throws Exception {
    return TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry));
  }

  private static void failIfStopped(Future<?>... services) throws Exception {
    for (Future<?> service : services) {
      if (service.isDone()) {
        service.get(); // rethrows what stopped it
        throw new AssertionError("a service stopped");
      }
    }
  }

  private static EvaluatorServiceSettings settings(EmbeddedStack stack, String checkpoints, String results, String instance) {
    return new EvaluatorServiceSettings(stack.bootstrapServers(), "split-svm", "split-svm-tx-" + instance, false,
        checkpoints, results, Duration.ofMillis(200), Duration.ofSeconds(30), Map.of());
  }

  private static EvaluatorServiceSettings knnSettings(EmbeddedStack stack, String checkpoints, String results,
      String instance) {
    return new EvaluatorServiceSettings(stack.bootstrapServers(), "split-knn", "split-knn-tx-" + instance, false,
        checkpoints, results, Duration.ofMillis(200), Duration.ofSeconds(30), Map.of());
  }

  /** Batches of 10 images: the shards' extraction batches are the whole bank's, so the same features. */
  private static CheckpointEvaluator knnEvaluator(Path root, EvalDataset dataset, int trainTasks) throws Exception {
    return CheckpointEvaluator.builder()
        .setReader(new CheckpointReader(root))
        .setDataset(dataset)
        .setRunner(new BenchmarkRunner(BenchmarkSettings.defaults(BenchmarkKind.KNN).withKnnKs(new int[] {5, 20})
            .withThreads(1).withKnnTrainTasks(trainTasks)))
        .setCache(new FeatureCache(dir.resolve("knn-cache-" + trainTasks)))
        .optBatchSize(10)
        .build();
  }

  private static CheckpointEvaluator svmEvaluator(Path root, EvalDataset dataset) throws Exception {
    return CheckpointEvaluator.builder()
        .setReader(new CheckpointReader(root))
        .setDataset(dataset)
        .setRunner(new BenchmarkRunner(BenchmarkSettings.defaults(BenchmarkKind.SVM).withCosts(new double[] {0.1, 1})
            .withThreads(1)))
        .setCache(new FeatureCache(dir.resolve("cache")))
        .optBatchSize(16)
        .build();
  }
}
