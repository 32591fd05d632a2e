package io.rotnet.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real {@code rotnet produce} process: it flushes, and every acknowledged record is there. */
@ExtendWith(EmbeddedStackExtension.class)
class ProduceSigtermTest {

  private static final String TOPIC = "sigterm.images";
  private static final Pattern SUMMARY =
      Pattern.compile("produced (\\d+) image\\(s\\) as (\\d+) acknowledged record\\(s\\)");

  @Test
  void sigtermStopsCleanlyWithoutLosingAcknowledgedRecords(EmbeddedStack stack, @TempDir Path dir) throws Exception {
    Path source = Path.of("..", "data", "fashion-mnist-mini", "train-images-idx3-ubyte.gz").toAbsolutePath();
    Path log = dir.resolve("produce.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.rotnet.app.Main",
            "produce",
            "--source", source.toString(),
            "--topic", TOPIC,
            "--epochs", "0",
            "--size", "32",
            "--workers", "1",
            "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry-url", stack.schemaRegistryUrl());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> endOffset(consumer) >= 800);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      String output = Files.readString(log);
      // 143 = 128 + SIGTERM: the JVM reports the signal after the hooks ran
      assertThat(process.exitValue()).as(output).isIn(0, 143);
      Matcher summary = SUMMARY.matcher(output);
      assertThat(summary.find()).as(output).isTrue();
      long images = Long.parseLong(summary.group(1));
      long acknowledged = Long.parseLong(summary.group(2));
      assertThat(output).contains("stopped");
      assertThat(acknowledged).isEqualTo(4 * images).isGreaterThanOrEqualTo(800);

      List<ConsumerRecord<String, byte[]>> records = readAll(consumer);
      assertThat(records).hasSize((int) acknowledged);
      Map<String, Integer> views = new HashMap<>();
      records.forEach(r -> views.merge(r.key(), 1, Integer::sum));
      assertThat(views.values()).containsOnly(4);
    } finally {
      process.destroyForcibly();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(EmbeddedStack stack) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "sigterm-check-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private static long endOffset(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions = partitions(consumer);
    return partitions.isEmpty() ? 0 : consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
    var infos = consumer.listTopics(Duration.ofSeconds(10)).get(TOPIC);
    return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions = partitions(consumer);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      assertThat(System.nanoTime()).as("read the topic to its end").isLessThan(deadline);
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }
}
