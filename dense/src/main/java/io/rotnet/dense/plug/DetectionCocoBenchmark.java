package io.rotnet.dense.plug;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.CocoDetection;
import io.rotnet.dense.data.DenseDatasetSpec;
import io.rotnet.dense.detection.data.CocoDetectionFineTune;
import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.metrics.CocoEval;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code detection-coco}: Mask R-CNN R50-FPN 1x fine-tuned from the checkpoint's ResNet on COCO
 * train2017 and scored by COCOeval on val2017 ({@link CocoDetectionFineTune}, preset {@code
 * coco-mask-rcnn-r50-fpn-1x} by default). Rows (percent) on tap {@code mask-rcnn-fpn}, named as
 * mmdet logs them: {@code bbox_mAP}, {@code bbox_mAP_50}, {@code bbox_mAP_75}, {@code bbox_mAP_s},
 * {@code bbox_mAP_m}, {@code bbox_mAP_l} and the same for {@code segm_}; an area range without
 * ground truth (COCOeval's -1) has no row. Parameters as {@link DetectorChoice}; the state lives
 * under {@code <work-dir>/detection-coco/}.
 */
public final class DetectionCocoBenchmark implements BenchmarkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionCocoBenchmark.class);
  private static final String[] SUFFIXES = {"mAP", "mAP_50", "mAP_75", "mAP_s", "mAP_m", "mAP_l"};
  public static final String NAME = "detection-coco";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "Mask R-CNN R50-FPN 1x fine-tuned on COCO train2017 (coco:DIR), COCOeval box and mask mAP on val2017";
  }

  @Override
  public CheckpointEvaluation open(PluginContext context) throws IOException {
    CocoDetection data = DenseDatasetSpec.parse(context.dataset()).openCoco();
    DetectorChoice choice = DetectorChoice.of(NAME, context, DetectionPresets.COCO_FPN, DetectorConfig.Architecture.FPN,
        data.train().categories().size());
    LOG.info("{} on {}: {} training / {} val images, {} categories, {} skipped; preset {}", NAME, data.name(),
        data.train().images().size(), data.val().images().size(), data.train().categories().size(),
        data.train().problems().count() + data.val().problems().count(), choice.preset().name());
    return new Evaluation(data, choice, context);
  }

  private static final class Evaluation extends FineTuneEvaluation {
    private final CocoDetection data;
    private final DetectorChoice choice;
    private final long seed;

    Evaluation(CocoDetection data, DetectorChoice choice, PluginContext context) throws IOException {
      super(NAME, data.name(), context);
      this.data = data;
      this.choice = choice;
      this.seed = context.seed();
    }

    @Override
    List<EvalRow> fineTune(CheckpointEvent event, VerifiedCheckpoint checkpoint, ResNet resNet, NDManager manager)
        throws IOException {
      DetectorConfig config = choice.on(resNet);
      String key = DetectorChoice.stateKey(checkpoint, config, data.train().images().size(), seed);
      CocoDetectionFineTune.Result result = new CocoDetectionFineTune(config, data, seed,
          stateFile(event, config.name()), key, choice.checkpointEvery())
          .reportTo(progress(), progressRun(event)).run(resNet, manager);
      List<EvalRow> rows = new ArrayList<>();
      add(rows, "bbox", result.bbox());
      add(rows, "segm", result.segm());
      LOG.info("{} {} on {}: bbox_mAP {} segm_mAP {} after {} iterations ({} resumed)", NAME, event.getCheckpointId(),
          data.name(), percent(result.bbox().get(0)), percent(result.segm().get(0)), result.iterations(),
          result.resumedFrom());
      return rows;
    }

    private static void add(List<EvalRow> rows, String prefix, CocoEval.Stats stats) {
      for (int i = 0; i < SUFFIXES.length; i++) {
        if (stats.get(i) >= 0) {
          rows.add(row("mask-rcnn-fpn", prefix + "_" + SUFFIXES[i], 100 * stats.get(i)));
        }
      }
    }

    private static String percent(double value) {
      return String.format(Locale.ROOT, "%.2f", 100 * value);
    }
  }
}
