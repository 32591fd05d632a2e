package io.rotnet.evaluator.results;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The offset of the last committed record of each partition. The end offset alone is not enough
 * to tell when a reader has caught up: a transactional producer leaves a commit marker after its
 * records, which takes an offset but is never delivered. So the tail of each partition is read
 * (a small window, widened until a record turns up) to find the last real record.
 */
final class LastRecordOffsets {
  private LastRecordOffsets() {}

  /** Per partition with at least one committed record, its last record's offset. */
  static Map<TopicPartition, Long> find(Map<String, Object> clientConfig, List<String> topics, Duration timeout)
      throws TimeoutException {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Map<TopicPartition, Long> last = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos != null) {
          infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
      }
      if (partitions.isEmpty()) {
        return last;
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      for (TopicPartition partition : partitions) {
        long from = end.get(partition);
        long window = 16;
        while (from > begin.get(partition) && !last.containsKey(partition)) {
          from = Math.max(begin.get(partition), end.get(partition) - window);
          consumer.assign(List.of(partition));
          consumer.seek(partition, from);
          while (consumer.position(partition, timeout) < end.get(partition)) {
            if (System.nanoTime() > deadline) {
              throw new TimeoutException("reading the tail of " + partition + " took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
              last.merge(partition, record.offset(), Math::max);
            }
          }
          window *= 4;
        }
      }
    }
    return last;
  }
}
