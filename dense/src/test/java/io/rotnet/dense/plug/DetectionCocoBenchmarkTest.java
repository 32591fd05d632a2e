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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detection-coco found as a plug-in, fine-tuning a written checkpoint on the scenes' COCO files. */
class DetectionCocoBenchmarkTest {
  @TempDir Path dir;

  @Test
  void thePlugInFineTunesMaskRcnnAndPublishesBoxAndMaskMap() throws Exception {
    Path scenes = dir.resolve("scenes");
    SceneGenerator.builder().optImages(10).optSize(96).build().write(scenes);
    Path root = Files.createDirectories(dir.resolve("checkpoints"));
    WrittenCheckpoint checkpoint = SegmentationVocBenchmarkTest.tinyCheckpoint(root, "coco");
    assertThat(BenchmarkPlugins.names()).contains("detection-coco", "detection-voc", "segmentation-voc");
    assertThatThrownBy(() -> BenchmarkPlugins.find("detection-coco").orElseThrow()
        .open(new PluginContext(root, "scenes=coco:" + scenes, dir, Map.of("preset", "tiny-faster-rcnn-r50-c4"), 0, 1)))
        .hasMessageContaining("runs a FPN preset");
    List<String> reports = new CopyOnWriteArrayList<>();
    CheckpointEvaluation evaluation = BenchmarkPlugins.find("detection-coco").orElseThrow().open(new PluginContext(
        root, "scenes=coco:" + scenes, dir.resolve("work"),
        Map.of("preset", "tiny-mask-rcnn-r50-fpn", "iterations", "3", "checkpoint-every", "2"), 0, 1,
        (run, iteration, images, loss, lr, speed) -> reports.add(run + "@" + iteration + "/" + images)));
    CheckpointEvent event = SegmentationVocBenchmarkTest.event(checkpoint);
    EvalResult result = evaluation.evaluate(event, evaluation.verify(event));
    assertThat(result.getBenchmark()).isEqualTo("detection-coco");
    assertThat(result.getDataset()).isEqualTo("scenes");
    assertThat(result.getRows()).extracting(EvalRow::getTap).containsOnly("mask-rcnn-fpn");
    assertThat(result.getRows()).extracting(EvalRow::getMetric)
        .contains("bbox_mAP", "bbox_mAP_50", "bbox_mAP_75", "segm_mAP", "segm_mAP_50", "segm_mAP_75");
    for (EvalRow row : result.getRows()) {
      assertThat(row.getValue()).isBetween(0.0, 100.0);
    }
    // progress: the first and the last iteration of the 3, as a run named after the fine-tune
    assertThat(reports).containsExactly(event.getCheckpointId() + "/detection-coco/scenes@1/2",
        event.getCheckpointId() + "/detection-coco/scenes@3/6");
    Path state = dir.resolve("work/detection-coco");
    assertThat(!Files.exists(state) || Files.list(state).findAny().isEmpty()).isTrue();
  }
}
