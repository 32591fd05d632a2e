package io.rotnet.devstack;

import static io.rotnet.devstack.KafkaTestClients.consume;
import static io.rotnet.devstack.KafkaTestClients.consumer;
import static io.rotnet.devstack.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records and registry state survive a restart of the stack on the same data directory. */
class StackRestartTest {

  @Test
  void schemasAndRecordsSurviveARestart(@TempDir Path dataDir) throws Exception {
    RotatedImage image = Samples.image(3);
    int imageId;
    int checkpointId;
    try (EmbeddedStack stack = EmbeddedStack.start(dataDir)) {
      stack.createTopic(Topics.IMAGES, 1);
      SchemaRegistryClient registry = stack.newRegistryClient();
      checkpointId =
          registry.register(Topics.CHECKPOINTS.valueSubject(), CheckpointEvent.getClassSchema());
      try (KafkaProducer<String, RotatedImage> producer =
          producer(stack, AvroSerdes.serializer(Topics.IMAGES, registry))) {
        producer
            .send(new ProducerRecord<>(Topics.IMAGES.name(), image.getSampleId(), image))
            .get();
      }
      imageId = registry.latest(Topics.IMAGES.valueSubject()).id();
    }

    try (EmbeddedStack stack = EmbeddedStack.start(dataDir)) {
      SchemaRegistryClient registry = stack.newRegistryClient();
      assertThat(registry.subjects())
          .contains(Topics.IMAGES.valueSubject(), Topics.CHECKPOINTS.valueSubject());
      assertThat(registry.latest(Topics.IMAGES.valueSubject()).id()).isEqualTo(imageId);
      assertThat(registry.schemaById(checkpointId)).isEqualTo(CheckpointEvent.getClassSchema());
      // Re-registering finds the stored schema; a new one gets an id never used before.
      assertThat(registry.register(Topics.IMAGES.valueSubject(), RotatedImage.getClassSchema()))
          .isEqualTo(imageId);
      assertThat(registry.register(Topics.METRICS.valueSubject(), TrainingMetrics.getClassSchema()))
          .isGreaterThan(Math.max(imageId, checkpointId));

      try (KafkaConsumer<String, RotatedImage> consumer =
          consumer(stack, AvroSerdes.deserializer(Topics.IMAGES, registry))) {
        assertThat(consume(consumer, Topics.IMAGES.name(), 1).get(0).value()).isEqualTo(image);
      }
    }
  }
}
