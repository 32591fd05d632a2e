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
 * @param pollTimeout how long one poll waits for checkpoint events
 * @param catchUpTimeout how long reading the results topic up to its end may take
 * @param clientOverrides extra Kafka client properties for every client (e.g. security)
 */
public record EvaluatorServiceSettings(
    String bootstrapServers,
    String groupId,
    String transactionalId,
    boolean latestOnly,
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
    clientOverrides = Map.copyOf(clientOverrides);
  }

  /** The group of a benchmark on a dataset: {@code rotnet-eval-<benchmark>-<dataset>}. */
  public static String groupIdOf(String benchmark, String dataset) {
    return "rotnet-eval-" + benchmark + "-" + dataset;
  }

  /** Defaults for one benchmark on one dataset, with the contract's topic names. */
  public static EvaluatorServiceSettings defaults(String bootstrapServers, String benchmark, String dataset) {
    String group = groupIdOf(benchmark, dataset);
    return new EvaluatorServiceSettings(
        bootstrapServers, group, group + "-" + UUID.randomUUID(), false, Topics.CHECKPOINTS.name(),
        Topics.EVAL_RESULTS.name(), Duration.ofMillis(500), Duration.ofSeconds(60), Map.of());
  }

  public EvaluatorServiceSettings withLatestOnly(boolean newLatestOnly) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, newLatestOnly,
        checkpointsTopic, resultsTopic, pollTimeout, catchUpTimeout, clientOverrides);
  }

  public EvaluatorServiceSettings withTopics(String newCheckpointsTopic, String newResultsTopic) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, latestOnly,
        newCheckpointsTopic, newResultsTopic, pollTimeout, catchUpTimeout, clientOverrides);
  }

  public EvaluatorServiceSettings withClientOverrides(Map<String, String> overrides) {
    return new EvaluatorServiceSettings(bootstrapServers, groupId, transactionalId, latestOnly,
        checkpointsTopic, resultsTopic, pollTimeout, catchUpTimeout, overrides);
  }
}
