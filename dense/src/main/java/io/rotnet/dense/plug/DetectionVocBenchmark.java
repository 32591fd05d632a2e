package io.rotnet.dense.plug;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.DenseDatasetSpec;
import io.rotnet.dense.data.VocDetection;
import io.rotnet.dense.detection.data.VocDetectionFineTune;
import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectorConfig;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code detection-voc}: Faster R-CNN R50-C4 fine-tuned from the checkpoint's ResNet on VOC07+12
 * trainval and scored on VOC07 test ({@link VocDetectionFineTune}, preset {@code
 * voc0712-faster-rcnn-r50-c4-24k} by default). Rows (percent): {@code (faster-rcnn-c4, AP50)},
 * {@code AP75}, {@code AP} and {@code (class:<name>, AP50)}. Parameters as {@link DetectorChoice};
 * the state lives under {@code <work-dir>/detection-voc/}, so a restarted service resumes the
 * fine-tune.
 */
public final class DetectionVocBenchmark implements BenchmarkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionVocBenchmark.class);
  public static final String NAME = "detection-voc";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "Faster R-CNN R50-C4 fine-tuned on VOC07+12 (voc0712:DIR), VOC07 11-point AP50 / AP / AP75 on test";
  }

  @Override
  public CheckpointEvaluation open(PluginContext context) throws IOException {
    VocDetection data = DenseDatasetSpec.parse(context.dataset()).openVoc();
    DetectorChoice choice = DetectorChoice.of(NAME, context, DetectionPresets.VOC_C4, DetectorConfig.Architecture.C4,
        data.classes().size());
    LOG.info("{} on {}: {} training / {} test images, {} classes, {} skipped; preset {}", NAME, data.name(),
        data.train().size(), data.test().size(), data.classes().size(), data.problems().count(), choice.preset().name());
    return new Evaluation(data, choice, context);
  }

  private static final class Evaluation extends FineTuneEvaluation {
    private final VocDetection data;
    private final DetectorChoice choice;
    private final long seed;

    Evaluation(VocDetection data, DetectorChoice choice, PluginContext context) throws IOException {
      super(NAME, data.name(), context);
      this.data = data;
      this.choice = choice;
      this.seed = context.seed();
    }

    @Override
    List<EvalRow> fineTune(CheckpointEvent event, VerifiedCheckpoint checkpoint, ResNet resNet, NDManager manager)
        throws IOException {
      DetectorConfig config = choice.on(resNet);
      String key = DetectorChoice.stateKey(checkpoint, config, data.train().size(), seed);
      VocDetectionFineTune.Result result = new VocDetectionFineTune(config, data, seed,
          stateFile(event, config.name()), key, choice.checkpointEvery())
          .reportTo(progress(), progressRun(event)).run(resNet, manager);
      List<EvalRow> rows = new ArrayList<>();
      rows.add(row("faster-rcnn-c4", "AP50", 100 * result.ap50().meanAp()));
      rows.add(row("faster-rcnn-c4", "AP75", 100 * result.ap75()));
      rows.add(row("faster-rcnn-c4", "AP", 100 * result.ap()));
      double[] perClass = result.ap50().classAp();
      for (int c = 0; c < perClass.length; c++) {
        if (!Double.isNaN(perClass[c])) {
          rows.add(row("class:" + data.classes().get(c), "AP50", 100 * perClass[c]));
        }
      }
      LOG.info("{} {} on {}: AP50 {} after {} iterations ({} resumed)", NAME, event.getCheckpointId(), data.name(),
          100 * result.ap50().meanAp(), result.iterations(), result.resumedFrom());
      return rows;
    }
  }
}
