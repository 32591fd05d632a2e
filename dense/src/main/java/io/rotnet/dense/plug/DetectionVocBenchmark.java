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
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code detection-voc}: Faster R-CNN R50-C4 fine-tuned from the checkpoint's ResNet on VOC07+12
 * trainval and scored on VOC07 test ({@link VocDetectionFineTune}, preset {@code
 * voc0712-faster-rcnn-r50-c4-24k} by default; the backbone takes the checkpoint's depth and width,
 * the class count the dataset's). Rows (percent): {@code (faster-rcnn-c4, AP50)}, {@code AP75},
 * {@code AP} and {@code (class:<name>, AP50)}.
 *
 * <p>Parameters: {@code preset}, {@code iterations} (a shorter run of the same schedule) and
 * {@code checkpoint-every} (iterations between saved states, 500). The state lives under
 * {@code <work-dir>/detection-voc/}, so a restarted service resumes the fine-tune.
 */
public final class DetectionVocBenchmark implements BenchmarkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionVocBenchmark.class);
  private static final Set<String> PARAMS = Set.of("preset", "iterations", "checkpoint-every");
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
    for (String key : context.params().keySet()) {
      if (!PARAMS.contains(key)) {
        throw new IllegalArgumentException("detection-voc has no parameter '" + key + "' (" + PARAMS + ")");
      }
    }
    VocDetection data = DenseDatasetSpec.parse(context.dataset()).openVoc();
    DetectorConfig preset = DetectionPresets.get(context.param("preset").orElse(DetectionPresets.VOC_C4))
        .withClasses(data.classes().size());
    if (preset.architecture() != DetectorConfig.Architecture.C4) {
      throw new IllegalArgumentException("detection-voc runs a C4 preset, " + preset.name() + " is " + preset.architecture());
    }
    if (context.param("iterations").isPresent()) {
      preset = preset.withIterations(Integer.parseInt(context.param("iterations").get()));
    }
    int every = Integer.parseInt(context.param("checkpoint-every").orElse("500"));
    LOG.info("{} on {}: {} training / {} test images, {} classes, {} skipped; preset {}", NAME, data.name(),
        data.train().size(), data.test().size(), data.classes().size(), data.problems().count(), preset.name());
    return new Evaluation(new CheckpointReader(context.checkpointRoot()), data, preset, every, context.seed(),
        context.workDir().resolve(NAME));
  }

  private record Evaluation(CheckpointReader reader, VocDetection data, DetectorConfig preset, int every, long seed,
      Path stateDir) implements CheckpointEvaluation {

    @Override
    public String benchmark() {
      return NAME;
    }

    @Override
    public String datasetName() {
      return data.name();
    }

    @Override
    public VerifiedCheckpoint verify(CheckpointEvent event) throws CheckpointException {
      return reader.verify(event.getUri(), event.getSha256());
    }

    @Override
    public EvalResult evaluate(CheckpointEvent event, VerifiedCheckpoint checkpoint) throws IOException {
      Instant started = Instant.now();
      VocDetectionFineTune.Result result;
      try (NDManager manager = NDManager.newBaseManager()) {
        LoadedCheckpoint loaded;
        try {
          loaded = reader.load(event.getUri(), null, event.getSha256(), manager);
        } catch (CheckpointException e) {
          throw new CheckpointLoadException(e);
        }
        if (!(loaded.model().backbone() instanceof ResNet resNet)) {
          throw new IllegalArgumentException("detection-voc fine-tunes a ResNet; "
              + loaded.model().spec().architecture() + " has no C4 stage");
        }
        DetectorConfig config = preset.withBackbone(resNet.spec().depth(), resNet.spec().widthDivisor());
        String key = String.join("|", checkpoint.manifestSha256(), config.name(),
            Integer.toString(config.schedule().maxIterations()), Integer.toString(data.train().size()), Long.toString(seed));
        Path state = stateDir.resolve(safe(event.getCheckpointId()) + "-" + safe(data.name()) + "-" + config.name() + ".state");
        result = new VocDetectionFineTune(config, data, seed, state, key, every).run(resNet, manager);
      }
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
      return EvalResult.newBuilder()
          .setCheckpointId(event.getCheckpointId()).setRunId(event.getRunId()).setStep(event.getStep())
          .setBenchmark(NAME).setDataset(data.name()).setRows(rows)
          .setStartedAt(started).setFinishedAt(Instant.now()).setEvaluatorVersion(version())
          .build();
    }

    private static String safe(String text) {
      return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static EvalRow row(String tap, String metric, double value) {
      return EvalRow.newBuilder().setTap(tap).setMetric(metric).setValue(value).build();
    }

    private static String version() {
      String v = DetectionVocBenchmark.class.getPackage().getImplementationVersion();
      return v != null ? v : "dev";
    }
  }
}
