package io.rotnet.schemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates a topic with the partition count of the contract before any client can auto-create it
 * with the broker's default (one partition). An existing topic is kept as it is: its partition
 * count is returned so the caller can say so.
 */
public final class TopicLayout {
  private static final long TIMEOUT_SECONDS = 30;

  private TopicLayout() {}

  /** The checkpoint topic with {@link Topics#CHECKPOINT_PARTITIONS} partitions. */
  public static int ensureCheckpoints(Map<String, Object> adminConfig, String topic) throws InterruptedException {
    return ensure(adminConfig, topic, Topics.CHECKPOINT_PARTITIONS);
  }

  /** The partition count; a topic another client has just created may take a moment to show. */
  private static int describe(Admin admin, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .get(topic).partitions().size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 20) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Creates {@code topic} unless it exists; returns its partition count. */
  public static int ensure(Map<String, Object> adminConfig, String topic, int partitions) throws InterruptedException {
    try (Admin admin = Admin.create(adminConfig)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return partitions;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
        }
      }
      return describe(admin, topic);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create or describe topic " + topic + ": " + e, e);
    }
  }
}
