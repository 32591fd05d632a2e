package io.rotnet.dense.plug;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.DenseDatasetSpec;
import io.rotnet.dense.data.Voc12AugSegmentation;
import io.rotnet.dense.segmentation.SegmentationFineTune;
import io.rotnet.dense.segmentation.SegmentationPreset;
import io.rotnet.evaluator.plugin.BenchmarkPlugin;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segmentation-voc}: FCN R50-D8 fine-tuned from the checkpoint's backbone on VOC12+aug
 * and scored by mIoU on val ({@link SegmentationFineTune}, preset {@code voc12aug-fcn-r50-d8-20k}
 * by default). Rows (percent): {@code (fcn-d8, mIoU)}, {@code (fcn-d8, aAcc)} and
 * {@code (class:<name>, IoU)} for every class present in labels or predictions.
 *
 * <p>Parameters: {@code preset} (voc12aug-fcn-r50-d8-20k or voc12aug-fcn-r50-d8-tiny) and
 * {@code iterations} (a shorter schedule of the same preset, for demos). The fine-tuning state
 * lives under {@code <work-dir>/segmentation-voc/}, so a restarted service resumes it.
 */
public final class SegmentationVocBenchmark implements BenchmarkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentationVocBenchmark.class);
  private static final Set<String> PARAMS = Set.of("preset", "iterations");
  public static final String NAME = "segmentation-voc";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "FCN R50-D8 fine-tuned on VOC12+aug (voc12aug:DIR), mIoU on val";
  }

  @Override
  public CheckpointEvaluation open(PluginContext context) throws IOException {
    FineTuneEvaluation.requireKnown(NAME, context.params(), PARAMS);
    SegmentationPreset preset = SegmentationPreset.named(context.param("preset").orElse(SegmentationPreset.FULL.name()));
    if (context.param("iterations").isPresent()) {
      preset = preset.withIterations(Integer.parseInt(context.param("iterations").get()));
    }
    Voc12AugSegmentation data = DenseDatasetSpec.parse(context.dataset()).openSegmentation();
    LOG.info("{} on {}: {} training / {} val images, {} classes, {} skipped; preset {}", NAME, data.name(),
        data.train().size(), data.val().size(), data.classes().size(), data.problems().count(), preset);
    return new Evaluation(data, preset, context);
  }

  private static final class Evaluation extends FineTuneEvaluation {
    private final Voc12AugSegmentation data;
    private final SegmentationPreset preset;
    private final long seed;

    Evaluation(Voc12AugSegmentation data, SegmentationPreset preset, PluginContext context) throws IOException {
      super(NAME, data.name(), context);
      this.data = data;
      this.preset = preset;
      this.seed = context.seed();
    }

    @Override
    List<EvalRow> fineTune(CheckpointEvent event, VerifiedCheckpoint checkpoint, ResNet resNet, NDManager manager)
        throws IOException {
      String key = String.join("|", checkpoint.manifestSha256(), preset.toString(), data.fingerprint(), Long.toString(seed));
      SegmentationFineTune.Result result = SegmentationFineTune.builder().setPreset(preset)
          .setData(data.train(), data.val(), data.classes()).optSeed(seed)
          .optState(stateFile(event, preset.name()), key).optProgress(progress(), progressRun(event)).build()
          .run(resNet, manager);
      List<EvalRow> rows = new ArrayList<>();
      rows.add(row("fcn-d8", "mIoU", 100 * result.iou().meanIou()));
      rows.add(row("fcn-d8", "aAcc", 100 * result.iou().pixelAccuracy()));
      double[] perClass = result.iou().classIou();
      for (int c = 0; c < perClass.length; c++) {
        if (!Double.isNaN(perClass[c])) {
          rows.add(row("class:" + result.classes().get(c), "IoU", 100 * perClass[c]));
        }
      }
      LOG.info("{} {} on {}: mIoU {} after {} iterations ({} resumed)", NAME, event.getCheckpointId(), data.name(),
          String.format(Locale.ROOT, "%.2f", 100 * result.iou().meanIou()), result.iterations(), result.resumedFrom());
      return rows;
    }
  }
}
