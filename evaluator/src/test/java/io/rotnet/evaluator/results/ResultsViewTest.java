package io.rotnet.evaluator.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The view as {@code rotnet results} runs it: a real Streams application on the embedded broker. */
@ExtendWith(EmbeddedStackExtension.class)
class ResultsViewTest {

  @Test
  void catchesUpWithTransactionalResultsAndSeesLaterOnes(EmbeddedStack stack) throws Exception {
    String results = "v.eval-results";
    String metrics = "v.metrics";
    stack.createTopic(results, 2);
    stack.createTopic(metrics, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    EvalResult a = Results.of("run1", 100, "knn", "fmnist", "k=20", "top1", 41.0);
    EvalResult b = Results.of("run1", 200, "knn", "fmnist", "k=20", "top1", 52.0);
    EvalResult aAgain = Results.of("run1", 100, "knn", "fmnist", "k=20", "top1", 42.0);
    EvalResult c = Results.of("run2", 50, "svm", "voc07", "feature5", "mAP", 33.3);

    try (KafkaProducer<String, EvalResult> producer = transactional(stack, registry);
        KafkaProducer<String, TrainingMetrics> metricsProducer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
            new StringSerializer(), AvroSerdes.serializer(Topics.METRICS, registry))) {
      producer.initTransactions();
      commit(producer, results, a);
      commit(producer, results, b);
      commit(producer, results, aAgain);
      // an aborted result must never show
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(results, "run9-step-1/knn/fmnist", Results.of("run9", 1, "knn", "fmnist")));
      producer.flush();
      producer.abortTransaction();
      metricsProducer.send(new ProducerRecord<>(metrics, "run1", Results.metrics("run1", 250, 0.8))).get();

      try (ResultsView view = ResultsView.start(stack.bootstrapServers(), registry, results, metrics, Duration.ofSeconds(60))) {
        view.awaitCaughtUp(Duration.ofSeconds(60));

        assertThat(view.results()).containsExactly(aAgain, b);
        assertThat(view.runs()).extracting(TrainingMetrics::getStep).containsExactly(250L);

        commit(producer, results, c);
        view.awaitCaughtUp(Duration.ofSeconds(60));

        assertThat(view.result("run2-step-50/svm/voc07")).isEqualTo(c);
        String table = new ResultsTable(view.results(), view.runs()).table();
        assertThat(table.lines().toList()).hasSize(1 + 3 + 1 + 1);
      }
    }
  }

  private static KafkaProducer<String, EvalResult> transactional(EmbeddedStack stack, SchemaRegistryClient registry) {
    return new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "view-test"),
        new StringSerializer(), AvroSerdes.serializer(Topics.EVAL_RESULTS, registry));
  }

  private static void commit(KafkaProducer<String, EvalResult> producer, String topic, EvalResult result) {
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, Results.key(result), result));
    producer.commitTransaction();
  }
}
