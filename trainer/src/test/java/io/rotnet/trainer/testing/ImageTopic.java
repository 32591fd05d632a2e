package io.rotnet.trainer.testing;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes rotated views to an image topic the way the producer service does (Avro through the
 * registry, keyed by sample id), plus raw bytes for records no serializer would write.
 */
public final class ImageTopic implements AutoCloseable {

  private final String topic;
  private final KafkaProducer<String, RotatedImage> views;
  private final KafkaProducer<String, byte[]> raw;

  public ImageTopic(EmbeddedStack stack, String topic) {
    this.topic = topic;
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    this.views =
        new KafkaProducer<>(
            config,
            new StringSerializer(),
            AvroSerdes.serializer(Topics.IMAGES, stack.newRegistryClient()));
    this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  public void send(RotatedImage view) {
    views.send(new ProducerRecord<>(topic, view.getSampleId(), view));
  }

  public void send(List<RotatedImage> group) {
    group.forEach(this::send);
  }

  /** Sends bytes as they are, after everything sent before (waits for earlier views). */
  public void sendRaw(String key, byte[] bytes) throws ExecutionException, InterruptedException {
    views.flush();
    raw.send(new ProducerRecord<>(topic, key, bytes)).get();
  }

  /**
   * Epochs of scenes: in each epoch every source image appears once, as a fresh random scene
   * (standing in for a fresh random crop), its four views back to back.
   */
  public void sendEpochs(String prefix, int datasetSize, int epochs, int size, long seed) {
    // One generator for the whole stream: fresh generators with neighbouring seeds start with
    // strongly correlated values, which would make every scene look alike.
    Random random = new Random(seed);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int index = 0; index < datasetSize; index++) {
        send(
            Scenes.group(
                prefix + index, epoch, index, datasetSize, Scenes.scene(random, size), size));
      }
    }
    flush();
  }

  public void flush() {
    views.flush();
    raw.flush();
  }

  @Override
  public void close() {
    views.close();
    raw.close();
  }
}
