package io.rotnet.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fine-tune's progress reaches the metrics topic as a run of its own, through the registry. */
@ExtendWith(EmbeddedStackExtension.class)
class MetricsProgressTest {

  @Test
  void reportsArriveAsTrainingMetricsKeyedByTheFineTune(EmbeddedStack stack) throws Exception {
    String topic = "mp.metrics";
    stack.createTopic(topic, 1);
    SchemaRegistryClient registry = stack.newRegistryClient();
    try (KafkaProducer<String, TrainingMetrics> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), AvroSerdes.serializer(Topics.METRICS, registry))) {
      MetricsProgress progress = new MetricsProgress(producer, topic);
      progress.report("run-step-20/detection-voc/scenes", 20, 40, 1.5, 0.02, 3.0);
      progress.report("run-step-20/detection-voc/scenes", 40, 80, 0.9, 0.02, 3.5);
      producer.flush();
    }
    List<ConsumerRecord<String, TrainingMetrics>> records =
        TopicReader.readAll(stack, topic, AvroSerdes.deserializer(Topics.METRICS, registry));
    assertThat(records).extracting(ConsumerRecord::key).containsOnly("run-step-20/detection-voc/scenes");
    assertThat(records).extracting(r -> r.value().getStep()).containsExactly(20L, 40L);
    TrainingMetrics last = records.get(1).value();
    assertThat(last.getLoss()).isEqualTo(0.9);
    assertThat(last.getImagesSeen()).isEqualTo(80);
    assertThat(last.getRotationAccuracy()).isNaN();
  }
}
