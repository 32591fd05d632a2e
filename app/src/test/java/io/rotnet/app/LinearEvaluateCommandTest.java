package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
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
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rotnet evaluate --benchmark linear-mhead} on an ImageFolder dataset, end to end. */
@ExtendWith(EmbeddedStackExtension.class)
class LinearEvaluateCommandTest {
  static final ModelSpec TINY = new ModelSpec(18, 8, 32, 4);
  static final String[] CLASSES = {"bright", "dark", "striped"};

  @TempDir Path dir;

  @Test
  void streamedMultiHeadEvaluationPublishesEveryTapAndCountsTheUnreadableImage(EmbeddedStack stack) throws Exception {
    Path data = imageFolder(dir.resolve("shapes"), true);
    Files.writeString(data.resolve("train/dark/broken.jpg"), "not a jpeg");
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    WrittenCheckpoint checkpoint = checkpoint(checkpoints);
    stack.createTopic("e2e.checkpoints", 1);
    stack.createTopic("e2e.checkpoints.dlq", 1);
    stack.createTopic("e2e.results", 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, CheckpointEvent> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), AvroSerdes.serializer(Topics.CHECKPOINTS, registry))) {
      producer.send(new ProducerRecord<>("e2e.checkpoints", "run-step-1", event(checkpoint))).get();
    }

    String[] args = {"evaluate", "--benchmark", "linear-mhead", "--preset", "demo-mhead-6e", "--epochs", "2",
        "--dataset", "shapes=imagefolder:" + data, "--checkpoint-root", checkpoints.toString(),
        "--state-dir", dir.resolve("state").toString(), "--threads", "2",
        "--checkpoints-topic", "e2e.checkpoints", "--results-topic", "e2e.results",
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl()};
    ExecutorService thread = Executors.newSingleThreadExecutor();
    CommandLine commandLine = RotnetCommand.commandLine(args);
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(new StringWriter(), true));
    Future<Integer> running = thread.submit(() -> commandLine.execute(args));
    EvalResult result;
    try {
      result = firstResult(stack, registry);
    } finally {
      running.cancel(true);
      thread.shutdownNow();
    }

    assertThat(out.toString()).contains("linear-mhead");
    assertThat(result.getBenchmark()).isEqualTo("linear-mhead");
    assertThat(result.getDataset()).isEqualTo("shapes");
    List<EvalRow> rows = result.getRows();
    assertThat(rows).extracting(EvalRow::getTap).containsExactly("feature1", "feature1", "feature2", "feature2",
        "feature3", "feature3", "feature4", "feature4", "feature5", "feature5", "images");
    assertThat(rows.get(10).getMetric()).isEqualTo("unreadable");
    assertThat(rows.get(10).getValue()).isEqualTo(1.0);
    assertThat(rows).filteredOn(r -> r.getMetric().equals("top1"))
        .allSatisfy(r -> assertThat(r.getValue()).isBetween(0.0, 100.0));
  }

  @Test
  void aClassMissingFromTheEvaluationSplitIsRefusedBeforeAnyTraining() throws Exception {
    Path data = imageFolder(dir.resolve("gappy"), false);
    StringWriter err = new StringWriter();
    String[] args = {"evaluate", "--benchmark", "linear-mhead", "--dataset", "gappy=imagefolder:" + data,
        "--checkpoint-root", dir.toString(), "--bootstrap-servers", "127.0.0.1:1",
        "--schema-registry-url", "http://127.0.0.1:1"};
    CommandLine commandLine = RotnetCommand.commandLine(args);
    commandLine.setErr(new PrintWriter(err, true));

    int exit = commandLine.execute(args);

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("gappy/val has no images of class(es) [striped]");
  }

  /** Bright, dark and striped 24x20 images; {@code complete = false} leaves val/striped empty. */
  static Path imageFolder(Path root, boolean complete) throws Exception {
    java.util.Random random = new java.util.Random(1);
    for (String split : new String[] {"train", "val"}) {
      int perClass = split.equals("train") ? 6 : 3;
      for (int c = 0; c < CLASSES.length; c++) {
        Path classDir = Files.createDirectories(root.resolve(split).resolve(CLASSES[c]));
        if (!complete && split.equals("val") && c == 2) {
          continue;
        }
        for (int i = 0; i < perClass; i++) {
          BufferedImage image = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 24; x++) {
              int base = c == 0 ? 220 : c == 1 ? 30 : ((x / 2) % 2 == 0 ? 250 : 10);
              int v = Math.max(0, Math.min(255, base + (int) (random.nextGaussian() * 12)));
              image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
          }
          ImageIO.write(image, "png", classDir.resolve(i + ".png").toFile());
        }
      }
    }
    return root;
  }

  static WrittenCheckpoint checkpoint(Path root) throws Exception {
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(TINY, manager);
      return new CheckpointWriter(root).write(model, TINY,
          CheckpointMetadata.builder().setRunId("run").setStep(1).optEpoch(1).optImagesSeen(64).build());
    }
  }

  static CheckpointEvent event(WrittenCheckpoint checkpoint) {
    return CheckpointEvent.newBuilder()
        .setCheckpointId("run-step-1").setRunId("run").setStep(1).setEpoch(1).setImagesSeen(64)
        .setUri(checkpoint.location()).setSha256(checkpoint.manifestSha256()).setSizeBytes(checkpoint.totalBytes())
        .setArchitecture(TINY.architecture()).setInputSize(TINY.inputSize()).setPreset("test")
        .setPretextLoss(1.0).setPretextAccuracy(0.25).setConsumedOffsets(List.of())
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
  }

  static EvalResult firstResult(EmbeddedStack stack, SchemaRegistryClient registry) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader");
    try (KafkaConsumer<String, EvalResult> consumer = new KafkaConsumer<>(
        config, new StringDeserializer(), AvroSerdes.deserializer(Topics.EVAL_RESULTS, registry))) {
      consumer.subscribe(List.of("e2e.results"));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, EvalResult> record : consumer.poll(Duration.ofMillis(500))) {
          return record.value();
        }
      }
    }
    throw new AssertionError("no result on e2e.results within 120 s");
  }
}
