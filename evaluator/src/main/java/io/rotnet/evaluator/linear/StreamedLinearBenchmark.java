package io.rotnet.evaluator.linear;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.ProbeResult;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.ResNet;
import io.rotnet.model.Tap;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * linear-mhead and linear-avgpool as an evaluator benchmark: a {@link StreamedLinearEvaluation}
 * of one checkpoint's backbone, its outcome as result rows {@code (tap, top1 | top5)} per head
 * and {@code (images, unreadable)}, the images skipped because they could not be read.
 *
 * @param preset the protocol (epochs, schedule, views, batch)
 * @param taps taps with a head (empty: the preset's)
 * @param stateDir the evaluator's state directory; runs resume from it (null: no resume)
 * @param saveEvery also save every this many steps (0: at every epoch's end only)
 * @param seed seeds initialisation, shuffles and views
 * @param workers CPU threads decoding and augmenting
 */
public record StreamedLinearBenchmark(
    LinearPreset preset, Set<Tap> taps, Path stateDir, int saveEvery, long seed, int workers) {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedLinearBenchmark.class);

  public StreamedLinearBenchmark {
    Objects.requireNonNull(preset, "preset");
    taps = taps == null ? Set.of() : Set.copyOf(taps);
  }

  /** Refuses, before any training, a dataset the protocol cannot train and score. */
  public void checkDataset(EvalDataset dataset) {
    ClassCoverage.require(dataset);
  }

  /** Trains and scores the heads on {@code backbone}; {@code runKey} names what is evaluated. */
  public List<EvalRow> run(ResNet backbone, NDManager manager, EvalDataset dataset, Preprocessing view, String runKey)
      throws IOException, InterruptedException {
    StreamedLinearEvaluation evaluation = StreamedLinearEvaluation.builder()
        .setBackbone(backbone).setManager(manager).setPreset(preset).optTaps(taps).optSeed(seed)
        .optWorkers(workers).optStateDir(stateDir).optSaveEvery(saveEvery).optTestView(view)
        .build();
    LinearOutcome outcome = evaluation.run(dataset, runKey);
    List<EvalRow> rows = new ArrayList<>();
    for (ProbeResult head : outcome.heads()) {
      rows.add(row(head.tap(), "top1", head.top1()));
      rows.add(row(head.tap(), "top5", head.top5()));
      LOG.info("linear {} {} {}: top-1 {}", preset.name(), dataset.name(), head.tap(),
          String.format(Locale.ROOT, "%.2f", head.top1()));
    }
    rows.add(row("images", "unreadable", outcome.unreadableTrain() + outcome.unreadableTest()));
    return rows;
  }

  private static EvalRow row(String tap, String metric, double value) {
    return EvalRow.newBuilder().setTap(tap).setMetric(metric).setValue(value).build();
  }
}
