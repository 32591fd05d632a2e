package io.rotnet.dashboard;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the pipeline's records to an embedded stack as the services would, and bad ones. */
final class Records implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final EmbeddedStack stack;
  private final SchemaRegistryClient registry;
  private final KafkaProducer<String, SpecificRecord> avro;
  private final KafkaProducer<String, byte[]> raw;

  Records(EmbeddedStack stack) {
    this.stack = stack;
    this.registry = stack.newRegistryClient();
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0);
    this.avro = new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(registry));
    this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** The contract's topics the dashboard reads, one partition each. */
  static void createTopics(EmbeddedStack stack) {
    stack.createTopic(Topics.METRICS.name(), 1);
    stack.createTopic(Topics.CHECKPOINTS.name(), 1);
    stack.createTopic(Topics.EVAL_RESULTS.name(), 1);
  }

  static TrainingMetrics metrics(String run, long step) {
    return TrainingMetrics.newBuilder().setRunId(run).setStep(step).setEpoch((int) (step / 40))
        .setLoss(1.4 - step / 1000.0).setRotationAccuracy(0.25 + step / 1000.0).setLearningRate(0.1)
        .setImagesPerSecond(12.5).setImagesSeen(step * 64).setRecordedAt(T0.plusSeconds(step)).build();
  }

  static CheckpointEvent checkpoint(String run, long step) {
    return CheckpointEvent.newBuilder().setCheckpointId(run + "-step-" + step).setRunId(run).setStep(step)
        .setEpoch((int) (step / 40)).setImagesSeen(step * 64).setUri(run + "/step-" + step).setSha256("0".repeat(64))
        .setSizeBytes(1000).setArchitecture("resnet50").setInputSize(32).setPreset("rotnet-tiny-cpu")
        .setPretextLoss(1.0).setPretextAccuracy(0.5).setConsumedOffsets(List.of())
        .setCreatedAt(Instant.now()).build();
  }

  /** A VOC07-style SVM result: mAP per tap feature1..5 and the best tap. */
  static EvalResult svm(String run, long step, String dataset, double base) {
    List<EvalRow> rows = new ArrayList<>();
    int best = 1;
    for (int tap = 1; tap <= 5; tap++) {
      rows.add(new EvalRow("feature" + tap, "mAP", base + tap));
      best = tap;
    }
    rows.add(new EvalRow("best:feature" + best, "mAP", base + best));
    return result(run, step, "svm", dataset, rows);
  }

  static EvalResult result(String run, long step, String benchmark, String dataset, List<EvalRow> rows) {
    return EvalResult.newBuilder().setCheckpointId(run + "-step-" + step).setRunId(run).setStep(step)
        .setBenchmark(benchmark).setDataset(dataset).setRows(rows).setStartedAt(T0.plusSeconds(step))
        .setFinishedAt(T0.plusSeconds(step + 30)).setEvaluatorVersion("test").build();
  }

  static String resultKey(EvalResult r) {
    return r.getCheckpointId() + "/" + r.getBenchmark() + "/" + r.getDataset();
  }

  void send(String topic, String key, SpecificRecord value) throws ExecutionException, InterruptedException {
    avro.send(new ProducerRecord<>(topic, key, value)).get();
  }

  void sendMetrics(TrainingMetrics m) throws ExecutionException, InterruptedException {
    send(Topics.METRICS.name(), m.getRunId(), m);
  }

  void sendCheckpoint(CheckpointEvent e) throws ExecutionException, InterruptedException {
    send(Topics.CHECKPOINTS.name(), e.getCheckpointId(), e);
  }

  void sendResult(EvalResult r) throws ExecutionException, InterruptedException {
    send(Topics.EVAL_RESULTS.name(), resultKey(r), r);
  }

  /** Bytes that are not a Confluent-framed Avro value. */
  void sendGarbage(String topic, String key) throws ExecutionException, InterruptedException {
    raw.send(new ProducerRecord<>(topic, key, new byte[] {0x42, 0x13, 0x37})).get();
  }

  /**
   * A malformed checkpoint event refused the way an evaluator refuses one: its dead letter lands
   * on {@code rotnet.checkpoints.dlq} with the reason.
   */
  void refuseCheckpoint(String service) throws ExecutionException, InterruptedException {
    byte[] bad = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3}; // framed, but with a schema id the registry does not know
    var metadata = raw.send(new ProducerRecord<>(Topics.CHECKPOINTS.name(), "bad-event", bad)).get();
    try (var letters = DeadLetters.newProducer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        stack.bootstrapServers()), registry)) {
      DeadLetterRouter<CheckpointEvent> router = DeadLetterRouter.builder(Topics.CHECKPOINTS, registry)
          .setProducer(letters).setService(service).build();
      router.decode(new ConsumerRecord<>(Topics.CHECKPOINTS.name(), metadata.partition(), metadata.offset(),
          "bad-event", bad));
    }
  }

  @Override
  public void close() {
    avro.close();
    raw.close();
  }
}
