package io.rotnet.evaluator.service;

import io.rotnet.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Kafka settings of an evaluator service.
 *
 * @param groupId consumer group; one per (benchmark, dataset), so each benchmark sees every
 *     checkpoint once and instances of one benchmark share the work
 * @param transactionalId transactional producer id of this instance (unique per instance)
 * @param latestOnly when several checkpoints of a run wait, evaluate only the newest
 * @param everySteps evaluate only checkpoints whose step is a multiple of this (1: every one);
 *     a fixed rule of the step, so restarts and other instances choose the same checkpoints
 * @param pollTimeout how long one poll waits for checkpoint events
 * @param catchUpTimeout how long reading the results topic up to its end may take
 * @param clientOverrides extra Kafka client properties for every client (e.g. security)
 */
public record EvaluatorServiceSettings(
    String bootstrapServers,
    String groupId,
    String transactionalId,
    boolean latestOnly,
    long everySteps,
    String checkpointsTopic,
    String resultsTopic,
    Duration pollTimeout,
    Duration catchUpTimeout,
    Map<String, String> clientOverrides) {

  public EvaluatorServiceSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(transactionalId, "transactionalId");
    Objects.requireNonNull(checkpointsTopic, "checkpointsTopic");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(catchUpTimeout, "catchUpTimeout");
    if (everySteps < 1) {
      throw new IllegalArgumentException("every must be a positive number of steps, got " + everySteps);
    }
    clientOverrides = Map.copyOf(clientOverrides);
  }

  /** Settings that evaluate every checkpoint. */
  public EvaluatorServiceSettings(String bootstrapServers, String groupId, String transactionalId, boolean latestOnly,
      String checkpointsTopic, String resultsTopic, Duration pollTimeout, Duration catchUpTimeout,
      Map<String, String> clientOverrides) {
    this(bootstrapServers, groupId, transactionalId, latestOnly, 1, checkpointsTopic, resultsTopic, pollTimeout,
        catchUpTimeout, clientOverrides);
  }

  /** The group of a benchmark on a dataset: {@code rotnet-eval-<benchmark>-<dataset>}. */
  public static String groupIdOf(String benchmark, String dataset) {
    return "rotnet-eval-" + benchmark + "-" + dataset;
  }

  /** Defaults for one benchmark on one dataset, with the contract's topic names. */
  public static EvaluatorServiceSettings defaults(String bootstrapServers, String benchmark, String dataset) {
    String group = groupIdOf(benchmark, dataset);
    return new EvaluatorServiceSettings(
        bootstrapServers, group, group + "-" + UUID.randomUUID(), false, 1, Topics.CHECKPOINTS.name(),
        Topics.EVAL_RESULTS.name(), Duration.ofMillis(500), Duration.ofSeconds(60), Map.of());
  }

  public EvaluatorServiceSettings withLatestOnly(boolean newLatestOnly) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, newLatestOnly, everySteps,
        checkpointsTopic, resultsTopic, pollTimeout, catchUpTimeout, clientOverrides);
  }

  public EvaluatorServiceSettings withEverySteps(long newEverySteps) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, latestOnly, newEverySteps,
        checkpointsTopic, resultsTopic, pollTimeout, catchUpTimeout, clientOverrides);
  }

  /** Whether a checkpoint at {@code step} is one this service evaluates. */
  public boolean isDue(long step) {
    return step % everySteps == 0;
  }

  public EvaluatorServiceSettings withTopics(String newCheckpointsTopic, String newResultsTopic) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, latestOnly, everySteps,
        newCheckpointsTopic, newResultsTopic, pollTimeout, catchUpTimeout, clientOverrides);
  }

  public EvaluatorServiceSettings withClientOverrides(Map<String, String> overrides) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, latestOnly, everySteps,
        checkpointsTopic, resultsTopic, pollTimeout, catchUpTimeout, overrides);
  }
}
