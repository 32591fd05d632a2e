package io.rotnet.evaluator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.evaluator.run.Fixtures;
import io.rotnet.evaluator.service.EvaluatorService;
import io.rotnet.evaluator.service.EvaluatorServiceSettings;
import io.rotnet.evaluator.service.TopicReader;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedStackExtension.class)
class BenchmarkPluginTest {
  @TempDir Path dir;

  @Test
  void pluginsAreFoundByNameAndUnknownNamesAreNot() {
    assertThat(BenchmarkPlugins.names()).contains("parameter-count");
    assertThat(BenchmarkPlugins.find(" Parameter-Count ")).get().isInstanceOf(ParameterCountPlugin.class);
    assertThat(BenchmarkPlugins.find("no-such-benchmark")).isEmpty();
  }

  @Test
  void aPluggedInBenchmarkGetsExactlyOnceResultsAndDeadLetters(EmbeddedStack stack) throws Exception {
    String checkpoints = "p.checkpoints";
    String results = "p.eval-results";
    stack.createTopic(checkpoints, 1);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    Path root = Files.createDirectories(dir.resolve("checkpoints"));
    WrittenCheckpoint good = Fixtures.checkpoint(root, "runp", 10);
    WrittenCheckpoint tampered = Fixtures.checkpoint(root, "runq", 20);
    Path parameters = tampered.directory().resolve(CheckpointLayout.PARAMETERS_FILE);
    byte[] bytes = Files.readAllBytes(parameters);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(parameters, bytes);
    try (KafkaProducer<String, CheckpointEvent> events = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      for (CheckpointEvent event : List.of(Fixtures.event(good), Fixtures.event(good), Fixtures.event(tampered))) {
        events.send(new ProducerRecord<>(checkpoints, event.getCheckpointId(), event)).get();
      }
    }

    CheckpointEvaluation evaluation = BenchmarkPlugins.find("parameter-count").orElseThrow()
        .open(new PluginContext(root, "none", dir, Map.of(), 0, 1));
    EvaluatorServiceSettings settings = new EvaluatorServiceSettings(stack.bootstrapServers(), "group-p", "group-p-tx",
        false, checkpoints, results, Duration.ofMillis(200), Duration.ofSeconds(30), Map.of());
    EvaluatorService service = new EvaluatorService(settings, evaluation, registry);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<?> running = thread.submit(() -> {
        service.run();
        return null;
      });
      await().atMost(Duration.ofSeconds(60)).until(() -> service.counters().published()
          + service.counters().duplicates() + service.counters().deadLettered() == 3);
      service.close();
      running.get(30, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }

    List<ConsumerRecord<String, EvalResult>> published =
        TopicReader.readAll(stack, results, AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry));
    assertThat(published).extracting(ConsumerRecord::key).containsExactly("runp-step-10/parameter-count/none");
    assertThat(published.get(0).value().getRows().get(0).getValue()).isGreaterThan(1000);
    List<ConsumerRecord<String, DeadLetter>> letters =
        TopicReader.readAll(stack, checkpoints + ".dlq", AvroSerdes.deserializer(Topics.CHECKPOINTS_DLQ, registry));
    assertThat(letters).extracting(ConsumerRecord::key).containsExactly("runq-step-20");
    assertThat(letters.get(0).value().getReason()).contains("HASH_MISMATCH");
  }
}
