package io.rotnet.dashboard;

import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the dashboard knows, built from the topics: training points per run, checkpoints, the
 * latest result per key, dead letters and records it could not read per topic, and the consumer
 * groups' lag. Every change bumps a version that the page's event stream waits on. Thread-safe.
 */
final class DashboardState {

  /** Training points kept per run; past this, every other point is dropped (the last is kept). */
  static final int MAX_POINTS_PER_RUN = 10_000;
  /** Latest dead letters and unreadable records kept per topic. */
  static final int LATEST_KEPT = 10;

  /** One training metrics record. */
  record TrainingPoint(long step, int epoch, double loss, double rotationAccuracy, double learningRate,
      double imagesPerSecond, long imagesSeen, Instant recordedAt) {}

  /** One checkpoint event, with where it sits on the checkpoints topic. */
  record CheckpointMark(String checkpointId, String runId, long step, int epoch, double pretextLoss,
      double pretextAccuracy, Instant createdAt, int partition, long offset) {}

  /** A dead letter as the page lists it. */
  record Letter(String origin, Integer partition, Long offset, String key, String reason, String service,
      Instant failedAt) {}

  /** A record of a topic the dashboard reads that it could not decode. */
  record Unreadable(int partition, long offset, String reason, Instant seenAt) {}

  /** A count per topic with its latest entries, newest first. */
  static final class Tally<T> {
    long count;
    final Deque<T> latest = new ArrayDeque<>();

    void add(T entry) {
      count++;
      latest.addFirst(entry);
      while (latest.size() > LATEST_KEPT) {
        latest.removeLast();
      }
    }
  }

  /** Lag of one consumer group, per topic, as of the last look. */
  record GroupLag(String group, String kind, String state, int members, Map<String, Long> lagByTopic) {
    long total() {
      return lagByTopic.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Where an evaluator group stands on one partition of the checkpoints topic. */
  record GroupPosition(String group, boolean active, int partition, long committed, long end) {}

  private long version;
  private boolean closed;
  private final Map<String, NavigableMap<Long, TrainingPoint>> training = new TreeMap<>();
  private final Map<String, TrainingMetrics> latestMetrics = new TreeMap<>();
  private final Map<String, NavigableMap<Long, CheckpointMark>> checkpointsByRun = new TreeMap<>();
  private final Map<Integer, NavigableMap<Long, CheckpointMark>> checkpointsByOffset = new TreeMap<>();
  private final Map<String, EvalResult> results = new LinkedHashMap<>();
  private final Map<String, Tally<Letter>> deadLetters = new TreeMap<>();
  private final Map<String, Tally<Unreadable>> unreadable = new TreeMap<>();
  private List<GroupLag> lag = List.of();
  private List<GroupPosition> evaluatorPositions = List.of();
  private Instant lagCheckedAt;
  private String lagError;

  synchronized void addMetrics(TrainingMetrics m) {
    NavigableMap<Long, TrainingPoint> points = training.computeIfAbsent(m.getRunId(), r -> new TreeMap<>());
    points.put(m.getStep(), new TrainingPoint(m.getStep(), m.getEpoch(), m.getLoss(), m.getRotationAccuracy(),
        m.getLearningRate(), m.getImagesPerSecond(), m.getImagesSeen(), m.getRecordedAt()));
    if (points.size() > MAX_POINTS_PER_RUN) {
      thin(points);
    }
    TrainingMetrics latest = latestMetrics.get(m.getRunId());
    if (latest == null || latest.getStep() <= m.getStep()) {
      latestMetrics.put(m.getRunId(), m);
    }
    changed();
  }

  private static void thin(NavigableMap<Long, TrainingPoint> points) {
    Long last = points.lastKey();
    boolean drop = false;
    for (Iterator<Long> steps = points.keySet().iterator(); steps.hasNext(); ) {
      Long step = steps.next();
      if (drop && !step.equals(last)) {
        steps.remove();
      }
      drop = !drop;
    }
  }

  synchronized void addCheckpoint(CheckpointEvent e, int partition, long offset) {
    CheckpointMark mark = new CheckpointMark(e.getCheckpointId(), e.getRunId(), e.getStep(), e.getEpoch(),
        e.getPretextLoss(), e.getPretextAccuracy(), e.getCreatedAt(), partition, offset);
    checkpointsByRun.computeIfAbsent(e.getRunId(), r -> new TreeMap<>()).put(e.getStep(), mark);
    checkpointsByOffset.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, mark);
    changed();
  }

  synchronized void putResult(String key, EvalResult result) {
    if (result == null) {
      results.remove(key);
    } else {
      results.put(key, result);
    }
    changed();
  }

  synchronized void addDeadLetter(String topic, DeadLetter letter) {
    deadLetters.computeIfAbsent(topic, t -> new Tally<>()).add(new Letter(letter.getOrigin(), letter.getPartition(),
        letter.getOffset(), letter.getKey(), letter.getReason(), letter.getService(), letter.getFailedAt()));
    changed();
  }

  synchronized void addUnreadable(String topic, int partition, long offset, String reason) {
    unreadable.computeIfAbsent(topic, t -> new Tally<>())
        .add(new Unreadable(partition, offset, reason, Instant.now()));
    changed();
  }

  synchronized void setLag(List<GroupLag> groups, List<GroupPosition> positions, Instant at) {
    this.lag = List.copyOf(groups);
    this.evaluatorPositions = List.copyOf(positions);
    this.lagCheckedAt = at;
    this.lagError = null;
    changed();
  }

  synchronized void setLagError(String error, Instant at) {
    if (!error.equals(lagError)) {
      this.lagError = error;
      this.lagCheckedAt = at;
      changed();
    }
  }

  /** Wakes the event streams for good. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized long version() {
    return version;
  }

  /**
   * Waits until the version differs from {@code seen}, the state closes or the time is up;
   * returns the version then, or -1 once closed.
   */
  synchronized long awaitChange(long seen, long maxWaitMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + maxWaitMillis;
    while (!closed && version == seen) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return closed ? -1 : version;
  }

  private void changed() {
    version++;
    notifyAll();
  }

  /** A consistent copy of everything, taken under the lock. */
  synchronized Snapshot snapshot() {
    Map<String, List<TrainingPoint>> points = new TreeMap<>();
    training.forEach((run, byStep) -> points.put(run, new ArrayList<>(byStep.values())));
    Map<String, List<CheckpointMark>> marks = new TreeMap<>();
    checkpointsByRun.forEach((run, byStep) -> marks.put(run, new ArrayList<>(byStep.values())));
    Map<Integer, NavigableMap<Long, CheckpointMark>> byOffset = new TreeMap<>();
    checkpointsByOffset.forEach((p, m) -> byOffset.put(p, new TreeMap<>(m)));
    return new Snapshot(version, Instant.now(), points, new ArrayList<>(latestMetrics.values()), marks, byOffset,
        new ArrayList<>(results.values()), copy(deadLetters), copy(unreadable), lag, evaluatorPositions,
        lagCheckedAt, lagError);
  }

  private static <T> Map<String, TallyView<T>> copy(Map<String, Tally<T>> tallies) {
    Map<String, TallyView<T>> out = new TreeMap<>();
    tallies.forEach((topic, t) -> out.put(topic, new TallyView<>(t.count, List.copyOf(t.latest))));
    return out;
  }

  /** A count and its latest entries, newest first. */
  record TallyView<T>(long count, List<T> latest) {}

  /** Everything at one version. */
  record Snapshot(
      long version,
      Instant takenAt,
      Map<String, List<TrainingPoint>> training,
      List<TrainingMetrics> latestMetrics,
      Map<String, List<CheckpointMark>> checkpoints,
      Map<Integer, NavigableMap<Long, CheckpointMark>> checkpointsByOffset,
      List<EvalResult> results,
      Map<String, TallyView<Letter>> deadLetters,
      Map<String, TallyView<Unreadable>> unreadable,
      List<GroupLag> lag,
      List<GroupPosition> evaluatorPositions,
      Instant lagCheckedAt,
      String lagError) {}
}
