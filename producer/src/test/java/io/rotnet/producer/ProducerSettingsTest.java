package io.rotnet.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.avro.PixelEncoding;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

  private static ProducerSettings.Builder valid() {
    return ProducerSettings.builder()
        .setSource(Path.of("images"))
        .setBootstrapServers("localhost:9092")
        .setSchemaRegistryUrl("http://localhost:8081");
  }

  @Test
  void defaultsFollowTheRotNetProtocol() {
    ProducerSettings settings = valid().optWorkers(3).build();
    assertThat(settings.topic()).isEqualTo("rotnet.images");
    assertThat(settings.deadLetterTopic()).isEqualTo("rotnet.images.dlq");
    assertThat(settings.augment().size()).isEqualTo(224);
    assertThat(settings.augment().minScale()).isEqualTo(0.08);
    assertThat(settings.augment().maxRatio()).isEqualTo(4.0 / 3.0);
    assertThat(settings.augment().flipProbability()).isEqualTo(0.5);
    assertThat(settings.encoding()).isEqualTo(PixelEncoding.RAW_RGB8);
    assertThat(settings.inFlightSamples()).isEqualTo(8);
    assertThat(settings.epochs()).isEqualTo(1);

    Map<String, Object> kafka = settings.kafkaConfig();
    assertThat(kafka)
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
  }

  @Test
  void badValuesFailAtBuildWithTheReason() {
    assertThatThrownBy(() -> valid().optCompression("brotli").build()).hasMessageContaining("compression must be one of");
    assertThatThrownBy(() -> valid().optEpochs(-1).build()).hasMessageContaining("epochs");
    assertThatThrownBy(() -> valid().optWorkers(0).build()).hasMessageContaining("workers");
    assertThatThrownBy(() -> valid().optWorkers(4).optInFlightSamples(2).build()).hasMessageContaining("in-flight");
    assertThatThrownBy(() -> valid().optImagesPerSecond(-1).build()).hasMessageContaining("rate");
    assertThatThrownBy(() -> valid().optPartitions(0).build()).hasMessageContaining("partitions");
    assertThatThrownBy(() -> valid().optSize(0).build()).hasMessageContaining("crop size");
    assertThatThrownBy(() -> valid().optSize(600).build()).hasMessageContaining("1 MiB");
    assertThat(valid().optSize(600).optEncoding(PixelEncoding.JPEG).build().augment().size()).isEqualTo(600);
    assertThatThrownBy(() -> valid().setBootstrapServers(" ").build()).hasMessageContaining("bootstrap");
    assertThatThrownBy(() -> valid().setSource(null).build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void progressLinesSayWhereTheRunIs() {
    ProducerStats.Snapshot snapshot = new ProducerStats.Snapshot(120, 480, 476, 0, 0, 3, 1, 122, 3000, 2.0);
    ProgressLine line = new ProgressLine(5);
    assertThat(line.bar(snapshot))
        .startsWith("[#")
        .contains("epoch 2/5 123/3000", "60.0 img/s", "120 sent", "3 refused");
    assertThat(new ProgressLine(0).logLine(snapshot))
        .isEqualTo("epoch 2, image 123/3000: 120 images sent (476 records acknowledged), 3 refused, 60.0 img/s");
  }
}
