package io.rotnet.dense.plug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.evaluator.plugin.BenchmarkPlugins;
import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.plugin.PluginContext;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detection-voc found as a plug-in, fine-tuning a written checkpoint on written scenes. */
class DetectionVocBenchmarkTest {
  @TempDir Path dir;

  @Test
  void thePlugInFineTunesACheckpointAndPublishesAp() throws Exception {
    Path scenes = dir.resolve("scenes");
    SceneGenerator.builder().optImages(10).optSize(96).build().write(scenes);
    Path root = Files.createDirectories(dir.resolve("checkpoints"));
    WrittenCheckpoint checkpoint = SegmentationVocBenchmarkTest.tinyCheckpoint(root, "det");
    assertThat(BenchmarkPlugins.names()).contains("detection-voc", "segmentation-voc");
    assertThatThrownBy(() -> BenchmarkPlugins.find("detection-voc").orElseThrow()
        .open(new PluginContext(root, "scenes=voc0712:" + scenes, dir, Map.of("lr", "1"), 0, 1)))
        .hasMessageContaining("no parameter 'lr'");
    CheckpointEvaluation evaluation = BenchmarkPlugins.find("detection-voc").orElseThrow().open(new PluginContext(
        root, "scenes=voc0712:" + scenes, dir.resolve("work"),
        Map.of("preset", "tiny-faster-rcnn-r50-c4", "iterations", "3", "checkpoint-every", "2"), 0, 1));
    CheckpointEvent event = SegmentationVocBenchmarkTest.event(checkpoint);
    EvalResult result = evaluation.evaluate(event, evaluation.verify(event));
    assertThat(result.getBenchmark()).isEqualTo("detection-voc");
    assertThat(result.getDataset()).isEqualTo("scenes");
    assertThat(result.getRows()).extracting(EvalRow::getMetric).contains("AP50", "AP75", "AP");
    for (EvalRow row : result.getRows()) {
      assertThat(row.getValue()).isBetween(0.0, 100.0);
    }
    Path state = dir.resolve("work/detection-voc");
    assertThat(!Files.exists(state) || Files.list(state).findAny().isEmpty()).isTrue();
  }
}
