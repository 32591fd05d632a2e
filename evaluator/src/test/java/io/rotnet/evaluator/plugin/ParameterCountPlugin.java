package io.rotnet.evaluator.plugin;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.time.Instant;
import java.util.List;

/** A plug-in that loads the checkpoint and reports its backbone's parameter count. */
public final class ParameterCountPlugin implements BenchmarkPlugin {

  @Override
  public String name() {
    return "parameter-count";
  }

  @Override
  public String summary() {
    return "counts the backbone's parameters (test plug-in)";
  }

  @Override
  public CheckpointEvaluation open(PluginContext context) throws java.io.IOException {
    CheckpointReader reader = new CheckpointReader(context.checkpointRoot());
    String dataset = context.dataset();
    return new CheckpointEvaluation() {
      @Override
      public String benchmark() {
        return name();
      }

      @Override
      public String datasetName() {
        return dataset;
      }

      @Override
      public VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException {
        return reader.verify(event.getUri(), event.getSha256());
      }

      @Override
      public EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint) throws CheckpointLoadException {
        try (NDManager manager = NDManager.newBaseManager()) {
          long count = RotNetModel.countParameters(
              reader.load(event.getUri(), null, event.getSha256(), manager).model().backbone());
          return EvalResult.newBuilder()
              .setCheckpointId(event.getCheckpointId()).setRunId(event.getRunId()).setStep(event.getStep())
              .setBenchmark(benchmark()).setDataset(dataset)
              .setRows(List.of(EvalRow.newBuilder().setTap("backbone").setMetric("parameters").setValue(count).build()))
              .setStartedAt(Instant.now()).setFinishedAt(Instant.now()).setEvaluatorVersion("test")
              .build();
        } catch (CheckpointException e) {
          throw new CheckpointLoadException(e);
        }
      }
    };
  }
}
