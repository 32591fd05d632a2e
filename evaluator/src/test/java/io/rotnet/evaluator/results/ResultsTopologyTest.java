package io.rotnet.evaluator.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerde;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The topology in the test driver; values go through the real serde and the embedded registry. */
@ExtendWith(EmbeddedStackExtension.class)
class ResultsTopologyTest {

  @Test
  void keepsTheLatestResultPerKeySkipsGarbageAndHonoursTombstones(EmbeddedStack stack, @TempDir Path state) {
    SchemaRegistryClient registry = stack.newRegistryClient();
    AvroSerde<EvalResult> resultSerde = AvroSerdes.serde(Topics.EVAL_RESULTS, registry);
    AvroSerde<TrainingMetrics> metricsSerde = AvroSerdes.serde(Topics.METRICS, registry);
    StreamProgress progress = new StreamProgress();
    var topology = ResultsTopology.build("rotnet.eval-results", resultSerde, "rotnet.metrics", metricsSerde, progress);

    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(state))) {
      TestInputTopic<String, EvalResult> results = driver.createInputTopic(
          "rotnet.eval-results", new StringSerializer(), resultSerde.serializer());
      TestInputTopic<String, byte[]> rawResults = driver.createInputTopic(
          "rotnet.eval-results", new StringSerializer(), new ByteArraySerializer());
      TestInputTopic<String, TrainingMetrics> metrics = driver.createInputTopic(
          "rotnet.metrics", new StringSerializer(), metricsSerde.serializer());
      EvalResult first = Results.of("run1", 100, "knn", "fmnist", "k=20", "top1", 41.0);
      EvalResult rerun = Results.of("run1", 100, "knn", "fmnist", "k=20", "top1", 43.5);
      EvalResult other = Results.of("run1", 200, "knn", "fmnist", "k=20", "top1", 55.0);
      EvalResult svm = Results.of("run1", 200, "svm", "voc07", "feature4", "mAP", 61.2);
      Instant t = Instant.ofEpochSecond(1_700_000_000L);

      results.pipeInput(Results.key(first), first, t);
      results.pipeInput(Results.key(other), other, t.plusSeconds(1));
      rawResults.pipeInput("garbage", new byte[] {7, 7, 7}, t.plusSeconds(2));
      results.pipeInput(Results.key(rerun), rerun, t.plusSeconds(3));
      results.pipeInput(Results.key(svm), svm, t.plusSeconds(4));
      results.pipeInput(Results.key(svm), null, t.plusSeconds(5));
      metrics.pipeInput("run1", Results.metrics("run1", 150, 1.2), t);
      metrics.pipeInput("run1", Results.metrics("run1", 250, 0.9), t.plusSeconds(1));

      KeyValueStore<String, EvalResult> store = driver.getKeyValueStore(ResultsTopology.RESULTS_STORE);
      assertThat(store.get("run1-step-100/knn/fmnist").getRows().get(0).getValue()).isEqualTo(43.5);
      assertThat(store.get("run1-step-200/knn/fmnist")).isEqualTo(other);
      assertThat(store.get("run1-step-200/svm/voc07")).isNull();
      assertThat(store.get("garbage")).isNull();
      KeyValueStore<String, TrainingMetrics> runs = driver.getKeyValueStore(ResultsTopology.METRICS_STORE);
      assertThat(runs.get("run1").getStep()).isEqualTo(250);
      // every offset counts as processed, the undecodable one included
      assertThat(progress.processed(new TopicPartition("rotnet.eval-results", 0))).isEqualTo(5);
      assertThat(progress.processed(new TopicPartition("rotnet.metrics", 0))).isEqualTo(1);
    }
  }

  private static Properties props(Path state) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "results-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    return props;
  }
}
