package io.rotnet.evaluator.results;

import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Sample results and metrics for the view tests. */
final class Results {
  private Results() {}

  /** A result whose rows are pairs (tap, metric, value) given flat. */
  static EvalResult of(String run, long step, String benchmark, String dataset, Object... rows) {
    List<EvalRow> list = new ArrayList<>();
    for (int i = 0; i < rows.length; i += 3) {
      list.add(EvalRow.newBuilder().setTap((String) rows[i]).setMetric((String) rows[i + 1])
          .setValue(((Number) rows[i + 2]).doubleValue()).build());
    }
    return EvalResult.newBuilder()
        .setCheckpointId(run + "-step-" + step).setRunId(run).setStep(step)
        .setBenchmark(benchmark).setDataset(dataset).setRows(list)
        .setStartedAt(Instant.ofEpochSecond(1_700_000_000L + step))
        .setFinishedAt(Instant.ofEpochSecond(1_700_000_060L + step))
        .setEvaluatorVersion("test").build();
  }

  static String key(EvalResult result) {
    return result.getCheckpointId() + "/" + result.getBenchmark() + "/" + result.getDataset();
  }

  static TrainingMetrics metrics(String run, long step, double loss) {
    return TrainingMetrics.newBuilder().setRunId(run).setStep(step).setEpoch(1).setLoss(loss)
        .setRotationAccuracy(0.5).setLearningRate(0.1).setImagesPerSecond(12.5).setImagesSeen(step * 64)
        .setRecordedAt(Instant.ofEpochSecond(1_700_000_000L + step)).build();
  }
}
