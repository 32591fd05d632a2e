package io.rotnet.dashboard;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroDecodingException;
import io.rotnet.schemas.serde.AvroDeserializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metrics, checkpoints, results and every dead-letter topic from the beginning into the
 * {@link DashboardState}, committed records only, without a consumer group (the dashboard reads,
 * it never takes a share of anyone's work). Topics that appear later, as dead-letter topics do,
 * are picked up on the next look at the cluster's topic list.
 *
 * <p>A value that does not decode is counted in the state with its reason and skipped; the feed
 * goes on. A registry that cannot be reached is not the record's fault: the record is read again
 * after a pause.
 */
final class TopicFeed implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long TOPIC_LOOK_EVERY_MS = 2_000;
  private static final long RETRY_PAUSE_MS = 1_000;

  private final DashboardSettings settings;
  private final DashboardState state;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<TrainingMetrics> metrics;
  private final AvroDeserializer<CheckpointEvent> checkpoints;
  private final AvroDeserializer<EvalResult> results;
  private final AvroDeserializer<DeadLetter> letters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private Set<TopicPartition> assigned = Set.of();

  TopicFeed(DashboardSettings settings, SchemaRegistryClient registry, DashboardState state) {
    this.settings = settings;
    this.state = state;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
        ConsumerConfig.CLIENT_ID_CONFIG, "rotnet-dashboard-feed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.metrics = new AvroDeserializer<>(registry, TrainingMetrics.class);
    this.checkpoints = new AvroDeserializer<>(registry, CheckpointEvent.class);
    this.results = new AvroDeserializer<>(registry, EvalResult.class);
    this.letters = new AvroDeserializer<>(registry, DeadLetter.class);
  }

  @Override
  public void run() {
    long nextLook = 0;
    try {
      while (running.get()) {
        if (System.currentTimeMillis() >= nextLook) {
          lookForTopics();
          nextLook = System.currentTimeMillis() + TOPIC_LOOK_EVERY_MS;
        }
        if (assigned.isEmpty()) {
          Thread.sleep(POLL.toMillis());
          continue;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        boolean retry = false;
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            if (!apply(record)) {
              // registry unreachable: read this partition again from this record after a pause
              consumer.seek(partition, record.offset());
              retry = true;
              break;
            }
          }
        }
        if (retry) {
          Thread.sleep(RETRY_PAUSE_MS);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** True when the record was used or counted as unreadable; false to retry it later. */
  private boolean apply(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    try {
      if (record.value() == null) {
        if (topic.equals(settings.resultsTopic()) && record.key() != null) {
          state.putResult(record.key(), null); // a tombstone removes the result, as in the results view
        } else {
          state.addUnreadable(topic, record.partition(), record.offset(), "null-value: record has no value");
        }
        return true;
      }
      if (topic.equals(settings.metricsTopic())) {
        state.addMetrics(metrics.deserialize(topic, record.value()));
      } else if (topic.equals(settings.checkpointsTopic())) {
        state.addCheckpoint(checkpoints.deserialize(topic, record.value()), record.partition(), record.offset());
      } else if (topic.equals(settings.resultsTopic())) {
        if (record.key() == null) {
          state.addUnreadable(topic, record.partition(), record.offset(), "no-key: a result needs its key");
        } else {
          state.putResult(record.key(), results.deserialize(topic, record.value()));
        }
      } else {
        state.addDeadLetter(topic, letters.deserialize(topic, record.value()));
      }
      return true;
    } catch (AvroDecodingException e) {
      if (e.failure().isTransient()) {
        LOG.warn("cannot decode {}-{}@{} now, retrying: {}", topic, record.partition(), record.offset(),
            e.getMessage());
        return false;
      }
      state.addUnreadable(topic, record.partition(), record.offset(), e.getMessage());
      return true;
    } catch (RuntimeException e) {
      state.addUnreadable(topic, record.partition(), record.offset(), "undecodable: " + e);
      return true;
    }
  }

  private boolean wanted(String topic) {
    return topic.equals(settings.metricsTopic()) || topic.equals(settings.checkpointsTopic())
        || topic.equals(settings.resultsTopic()) || topic.endsWith(Topics.deadLetterTopic(""));
  }

  private void lookForTopics() {
    Map<String, List<PartitionInfo>> topics;
    try {
      topics = consumer.listTopics(Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      LOG.debug("listing topics timed out; trying again later");
      return;
    }
    Set<TopicPartition> partitions = new HashSet<>();
    topics.forEach((topic, infos) -> {
      if (wanted(topic)) {
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
    });
    if (partitions.equals(assigned)) {
      return;
    }
    Set<TopicPartition> added = new HashSet<>(partitions);
    added.removeAll(assigned);
    consumer.assign(partitions);
    consumer.seekToBeginning(added);
    assigned = Set.copyOf(partitions);
    LOG.info("dashboard reads {} partition(s): {}", partitions.size(), partitions);
  }

  void stop() {
    running.set(false);
    consumer.wakeup();
  }
}
