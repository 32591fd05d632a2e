package io.rotnet.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks the broker, every few seconds, for the committed offsets of the trainer's groups ({@code
 * rotnet-trainer-*}) and the evaluators' groups ({@code rotnet-eval-*}) and for the topics' ends,
 * and puts each group's lag, and each evaluator group's position on the checkpoints topic, into
 * the {@link DashboardState}. Only reads: it never joins or changes a group.
 */
final class LagMonitor implements Runnable {
  static final String TRAINER_PREFIX = "rotnet-trainer-";
  static final String EVALUATOR_PREFIX = "rotnet-eval-";
  private static final long TIMEOUT_MS = 10_000;

  private final DashboardSettings settings;
  private final DashboardState state;
  private final Admin admin;
  private volatile boolean running = true;

  LagMonitor(DashboardSettings settings, DashboardState state) {
    this.settings = settings;
    this.state = state;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "rotnet-dashboard-lag"));
  }

  @Override
  public void run() {
    try {
      while (running) {
        try {
          look();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
          state.setLagError("cannot read consumer groups: " + cause, Instant.now());
        }
        Thread.sleep(settings.lagEvery().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close();
    }
  }

  /** One look at the groups; public to the package so tests can call it directly. */
  void look() throws ExecutionException, InterruptedException, TimeoutException {
    List<String> groups = new ArrayList<>();
    for (GroupListing listing : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      String id = listing.groupId();
      if (id.startsWith(TRAINER_PREFIX) || id.startsWith(EVALUATOR_PREFIX)) {
        groups.add(id);
      }
    }
    groups.sort(null);
    if (groups.isEmpty()) {
      state.setLag(List.of(), List.of(), Instant.now());
      return;
    }
    Map<String, ConsumerGroupDescription> descriptions =
        admin.describeConsumerGroups(groups).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
    Set<TopicPartition> partitions = new HashSet<>();
    for (String group : groups) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> raw = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      raw.forEach((tp, om) -> {
        if (om != null) {
          offsets.put(tp, om.offset());
        }
      });
      // partitions assigned but never committed: the group starts from the beginning of them
      for (MemberDescription member : descriptions.get(group).members()) {
        for (TopicPartition tp : member.assignment().topicPartitions()) {
          offsets.putIfAbsent(tp, -1L);
        }
      }
      committed.put(group, offsets);
      partitions.addAll(offsets.keySet());
    }
    Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> begins = offsets(partitions, OffsetSpec.earliest());
    List<DashboardState.GroupLag> lags = new ArrayList<>();
    List<DashboardState.GroupPosition> positions = new ArrayList<>();
    for (String group : groups) {
      ConsumerGroupDescription description = descriptions.get(group);
      int members = description.members().size();
      Map<String, Long> lagByTopic = new TreeMap<>();
      for (Map.Entry<TopicPartition, Long> entry : committed.get(group).entrySet()) {
        TopicPartition tp = entry.getKey();
        long end = ends.getOrDefault(tp, 0L);
        long at = entry.getValue() < 0 ? begins.getOrDefault(tp, 0L) : entry.getValue();
        lagByTopic.merge(tp.topic(), Math.max(0, end - at), Long::sum);
        if (group.startsWith(EVALUATOR_PREFIX) && tp.topic().equals(settings.checkpointsTopic())) {
          positions.add(new DashboardState.GroupPosition(group, members > 0, tp.partition(), at, end));
        }
      }
      String kind = group.startsWith(TRAINER_PREFIX) ? "trainer" : "evaluator";
      lags.add(new DashboardState.GroupLag(group, kind, description.groupState().toString(), members, lagByTopic));
    }
    state.setLag(lags, positions, Instant.now());
  }

  private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    if (request.isEmpty()) {
      return out;
    }
    Map<TopicPartition, ListOffsetsResultInfo> infos = admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    infos.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  void stop() {
    running = false;
  }
}
