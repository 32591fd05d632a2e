package io.rotnet.dense.plug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.evaluator.plugin.BenchmarkPlugins;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.evaluator.service.EvaluatorService;
import io.rotnet.evaluator.service.EvaluatorServiceSettings;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** segmentation-voc through the evaluator service on a real broker, on written scenes. */
@ExtendWith(EmbeddedStackExtension.class)
class SegmentationVocBenchmarkTest {
  static final ModelSpec TINY = new ModelSpec(18, 8, 32, 4);
  @TempDir Path dir;

  @Test
  void theServiceFindsThePlugInAndPublishesMiouForACheckpoint(EmbeddedStack stack) throws Exception {
    Path scenes = dir.resolve("scenes");
    SceneGenerator.builder().optImages(6).optSize(32).build().write(scenes);
    Path root = Files.createDirectories(dir.resolve("checkpoints"));
    WrittenCheckpoint checkpoint = tinyCheckpoint(root, "seg");
    String checkpoints = "s.checkpoints";
    String results = "s.eval-results";
    stack.createTopic(checkpoints, 1);
    stack.createTopic(checkpoints + ".dlq", 1);
    stack.createTopic(results, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, CheckpointEvent> events = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      events.send(new ProducerRecord<>(checkpoints, "seg-step-5", event(checkpoint))).get();
    }

    assertThatThrownBy(() -> BenchmarkPlugins.find("segmentation-voc").orElseThrow()
        .open(new PluginContext(root, "scenes=voc12aug:" + scenes, dir, Map.of("lr", "1"), 0, 1)))
        .hasMessageContaining("no parameter 'lr'");
    CheckpointEvaluation evaluation = BenchmarkPlugins.find("segmentation-voc").orElseThrow().open(new PluginContext(
        root, "scenes=voc12aug:" + scenes, dir.resolve("work"),
        Map.of("preset", "voc12aug-fcn-r50-d8-tiny", "iterations", "2"), 0, 1));
    EvaluatorServiceSettings settings = new EvaluatorServiceSettings(stack.bootstrapServers(), "g-seg", "g-seg-tx",
        false, checkpoints, results, Duration.ofMillis(200), Duration.ofSeconds(30), Map.of());
    EvaluatorService service = new EvaluatorService(settings, evaluation, registry);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<?> running = thread.submit(() -> {
        service.run();
        return null;
      });
      await().atMost(Duration.ofSeconds(240)).until(() -> service.counters().published() == 1);
      service.close();
      running.get(30, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }
    List<EvalResult> published = new ArrayList<>();
    try (KafkaConsumer<String, EvalResult> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "reader",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry))) {
      consumer.subscribe(List.of(results));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> published.add(r.value()));
        return !published.isEmpty();
      });
    }
    EvalResult result = published.get(0);
    assertThat(result.getBenchmark()).isEqualTo("segmentation-voc");
    assertThat(result.getDataset()).isEqualTo("scenes");
    assertThat(result.getRows()).extracting(EvalRow::getMetric).contains("mIoU", "aAcc", "IoU");
    double miou = result.getRows().stream().filter(r -> r.getMetric().equals("mIoU")).findFirst().orElseThrow().getValue();
    assertThat(miou).isBetween(0.0, 100.0);
    Path state = dir.resolve("work/segmentation-voc");
    assertThat(!Files.exists(state) || Files.list(state).findAny().isEmpty()).isTrue(); // no state left when done
  }

  /** A freshly initialised {@link #TINY} checkpoint of {@code runId} at step 5 (seed 3). */
  static WrittenCheckpoint tinyCheckpoint(Path root, String runId) throws IOException {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      return new CheckpointWriter(root).write(RotNetModel.newInitialized(TINY, manager), TINY,
          CheckpointMetadata.builder().setRunId(runId).setStep(5).optEpoch(1).optImagesSeen(320).build());
    }
  }

  static CheckpointEvent event(WrittenCheckpoint checkpoint) {
    var manifest = checkpoint.manifest();
    return CheckpointEvent.newBuilder()
        .setCheckpointId(manifest.runId() + "-step-" + manifest.step()).setRunId(manifest.runId())
        .setStep(manifest.step()).setEpoch(manifest.epoch()).setImagesSeen(manifest.step() * 64)
        .setUri(checkpoint.location()).setSha256(checkpoint.manifestSha256()).setSizeBytes(checkpoint.totalBytes())
        .setArchitecture(TINY.architecture()).setInputSize(TINY.inputSize()).setPreset("test")
        .setPretextLoss(1.0).setPretextAccuracy(0.25).setConsumedOffsets(List.of())
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
  }
}
