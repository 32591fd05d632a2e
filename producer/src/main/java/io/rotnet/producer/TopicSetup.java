package io.rotnet.producer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the image topic (with the configured partitions) and its dead-letter topic if absent. */
public final class TopicSetup {

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_SECONDS = 30;

  private TopicSetup() {}

  public static void ensureTopics(ProducerSettings settings) throws InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      ensure(admin, settings.topic(), settings.partitions(), settings.bootstrapServers());
      ensure(admin, settings.deadLetterTopic(), 1, settings.bootstrapServers());
    }
  }

  /** Creates {@code topic} with {@code partitions} unless it exists; an existing topic is kept as is. */
  static void ensure(Admin admin, String topic, int partitions, String bootstrapServers)
      throws InterruptedException {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("created topic {} with {} partition(s)", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
      }
      reportExisting(admin, topic, partitions);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + bootstrapServers
              + " did not answer within "
              + TIMEOUT_SECONDS
              + " s while creating "
              + topic
              + "; is the broker running there?",
          e);
    }
  }

  private static void reportExisting(Admin admin, String topic, int partitions) throws InterruptedException {
    try {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
      int existing = description.partitions().size();
      if (existing != partitions) {
        LOG.warn("topic {} exists with {} partition(s); keeping it (asked for {})", topic, existing, partitions);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("topic {} exists but cannot be described: {}", topic, e.toString());
    }
  }
}
