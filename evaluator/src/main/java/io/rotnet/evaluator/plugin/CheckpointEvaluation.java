package io.rotnet.evaluator.plugin;

import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import java.io.IOException;

/**
 * What the evaluator service needs of one benchmark on one dataset: its names (the consumer group
 * and the result key derive from them), checkpoint verification and the evaluation itself. The
 * service supplies subscription, exactly-once publication and dead letters around it, so every
 * benchmark, built in or plugged in, gets them alike.
 *
 * <p>{@link #evaluate} runs on the service's worker thread; a checkpoint that verifies but cannot
 * be loaded is a {@link io.rotnet.evaluator.run.CheckpointLoadException} (dead-lettered), any
 * other failure stops the service with the offset uncommitted.
 */
public interface CheckpointEvaluation {

  /** The name in {@code EvalResult.benchmark}. */
  String benchmark();

  /** The name in {@code EvalResult.dataset}. */
  String datasetName();

  /** The result key: {@code <checkpointId>/<benchmark>/<dataset>}. */
  default String resultKey(String checkpointId) {
    return checkpointId + "/" + benchmark() + "/" + datasetName();
  }

  /** Verifies the announced checkpoint; the exception names what failed. */
  VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException;

  /** Evaluates a verified checkpoint. */
  EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint) throws IOException, InterruptedException;
}
