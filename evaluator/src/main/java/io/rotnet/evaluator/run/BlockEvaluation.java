package io.rotnet.evaluator.run;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.blocks.BlockBenchmark;
import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.EvalRow;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code blocks-linear} / {@code blocks-nonlinear} for a checkpoint: they read the blocks'
 * whole maps from the loaded backbone, not the pooled tap cache. Epochs: the settings' linear
 * epochs, or the reference's 100 when unset.
 */
final class BlockEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(BlockEvaluation.class);

  private BlockEvaluation() {}

  static boolean handles(BenchmarkKind kind) {
    return kind == BenchmarkKind.BLOCKS_LINEAR || kind == BenchmarkKind.BLOCKS_NONLINEAR;
  }

  static BlockProtocol.Head head(BenchmarkKind kind) {
    return kind == BenchmarkKind.BLOCKS_LINEAR ? BlockProtocol.Head.LINEAR : BlockProtocol.Head.NONLINEAR;
  }

  static List<EvalRow> rows(BenchmarkSettings settings, CheckpointReader reader, VerifiedCheckpoint checkpoint,
      String manifestSha256, EvalDataset dataset, Preprocessing view, int batchSize) throws CheckpointLoadException {
    BlockProtocol protocol = BlockProtocol.cifarEpochs(settings.linearEpochs() > 0 ? settings.linearEpochs() : 100)
        .withSeed(settings.seed());
    BlockProtocol.Head head = head(settings.kind());
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded = reader.load(checkpoint.location(), null, manifestSha256, manager);
      BlockBenchmark benchmark = new BlockBenchmark(List.of(head), protocol, view, batchSize, LOG::info);
      List<BlockBenchmark.Score> scores = benchmark.run(loaded.model().backbone(), manager, dataset.train(), null,
          dataset.test(), settings.kind().label() + " " + dataset.name());
      return BlockBenchmark.rows(scores, head);
    } catch (CheckpointException e) {
      throw new CheckpointLoadException(e);
    }
  }
}
