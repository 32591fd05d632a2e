package io.rotnet.evaluator.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  private static final List<EvalResult> RESULTS = List.of(
      Results.of("run1", 200, "knn", "fmnist", "k=10", "top1", 55.0, "k=10", "top5", 90.0),
      Results.of("run1", 100, "knn", "fmnist", "k=10", "top1", 41.25, "k=10", "top5", 80.0),
      Results.of("run1", 100, "svm", "voc07", "feature4", "mAP", 61.234, "best:feature4", "mAP", 61.234),
      Results.of("run1", 100, "lowshot-svm", "voc07", "feature4/k=1", "mAP-mean", 20.6, "feature4/k=1", "mAP-std", 1.5));

  @Test
  void tableHasCheckpointsByStepAndOneHeadlineColumnPerBenchmarkTap() {
    String table = new ResultsTable(RESULTS, List.of(Results.metrics("run1", 250, 0.91234))).table();

    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).startsWith("checkpoint").contains("step", "knn/fmnist k=10",
        "lowshot-svm/voc07 feature4/k=1", "svm/voc07 feature4", "svm/voc07 best");
    assertThat(lines.get(1)).startsWith("run1-step-100").contains("41.25", "61.23 (feature4)", "20.60")
        .doesNotContain("80.00", "1.50");
    assertThat(lines.get(2)).startsWith("run1-step-200").contains("55.00", " -");
    assertThat(table).contains("training run1: step 250").contains("loss 0.9123");
  }

  @Test
  void aFineTunesProgressIsShownByIterationWithoutARotationAccuracy() {
    TrainingMetrics fineTune = TrainingMetrics.newBuilder(Results.metrics("run1-step-100/detection-voc/voc0712", 40, 1.25))
        .setRotationAccuracy(Double.NaN).build();
    String table = new ResultsTable(RESULTS, List.of(Results.metrics("run1", 250, 0.91234), fineTune)).table();

    assertThat(table).contains("fine-tuning run1-step-100/detection-voc/voc0712: iteration 40, loss 1.2500")
        .contains("training run1: step 250").doesNotContain("NaN");
  }

  @Test
  void oneDatasetIsNamedOnceAndTheBestTapSharesOneColumn() {
    List<EvalResult> results = List.of(
        Results.of("run1", 100, "svm", "fmnist", "feature2", "mAP", 80.0, "best:feature2", "mAP", 80.0),
        Results.of("run1", 200, "svm", "fmnist", "feature1", "mAP", 82.0, "best:feature1", "mAP", 82.0));

    List<String> lines = new ResultsTable(results, List.of()).table().lines().toList();

    assertThat(lines.get(0)).isEqualTo("dataset: fmnist");
    assertThat(lines.get(1)).contains("svm feature1", "svm feature2", "svm best").doesNotContain("fmnist");
    assertThat(lines.get(2)).contains("80.00 (feature2)");
    assertThat(lines.get(3)).contains("82.00 (feature1)");
  }

  @Test
  void denseBenchmarksShowTheirHeadlineButNotTheirPerClassRows() {
    List<EvalResult> results = List.of(
        Results.of("run1", 100, "segmentation-voc", "scenes", "fcn-d8", "mIoU", 41.11, "class:ellipse", "IoU", 30.0),
        Results.of("run1", 100, "detection-voc", "scenes", "faster-rcnn-c4", "AP50", 12.5,
            "class:triangle", "AP50", 7.0));

    List<String> lines = new ResultsTable(results, List.of()).table().lines().toList();

    assertThat(lines.get(1)).contains("segmentation-voc fcn-d8", "detection-voc faster-rcnn-c4")
        .doesNotContain("class:");
    assertThat(lines.get(2)).contains("41.11", "12.50").doesNotContain("7.00", "30.00");
  }

  @Test
  void csvAndJsonCarryEveryValue() {
    ResultsTable table = new ResultsTable(RESULTS, List.of());

    String csv = table.format(ResultsTable.Format.parse("csv"));
    assertThat(csv.lines()).hasSize(9).first().isEqualTo("checkpoint,run,step,benchmark,dataset,tap,metric,value");
    assertThat(csv).contains("run1-step-100,run1,100,lowshot-svm,voc07,feature4/k=1,mAP-std,1.5");

    String json = table.format(ResultsTable.Format.JSON);
    assertThat(json).startsWith("[").contains("\"benchmark\": \"svm\"", "{\"tap\": \"k=10\", \"metric\": \"top5\", \"value\": 90.0}");
    assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(4 + 8);
  }

  @Test
  void emptyViewsAndUnknownFormats() {
    assertThat(new ResultsTable(List.of(), List.of()).table()).isEqualTo("no results yet\n");
    assertThat(new ResultsTable(List.of(), List.of()).json()).isEqualTo("[]\n");
    assertThatThrownBy(() -> ResultsTable.Format.parse("xml")).hasMessageContaining("table, csv or json");
    assertThat(ResultsTable.jsonString("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
  }
}
