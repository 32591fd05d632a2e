package io.rotnet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How results become charts: lines per tap or k, low-shot's k as variants, the seed's references. */
class ViewsTest {

  private final SeedReferences seed = SeedReferences.load();

  @Test
  void lowShotHasOneChartPerKWithOneLinePerTapAndTheSeedValueOfThatK() {
    List<EvalRow> rows = new ArrayList<>();
    for (int k : new int[] {1, 96, 8}) {
      for (String tap : List.of("feature4", "feature5")) {
        rows.add(new EvalRow(tap + "/k=" + k, "mAP-mean", k / 2.0));
        rows.add(new EvalRow(tap + "/k=" + k, "mAP-std", 0.5));
      }
    }
    List<Views.Chart> charts = Views.charts(
        List.of(Records.result("r", 100, "lowshot-svm", "VOC2007", rows)), seed);

    assertThat(charts).extracting(Views.Chart::variant).containsExactly("k=1", "k=8", "k=96");
    Views.Chart k96 = charts.get(2);
    assertThat(k96.metric()).isEqualTo("mAP-mean");
    assertThat(k96.lines()).extracting(Views.Line::name).containsExactly("feature4", "feature5");
    assertThat(k96.lines().get(0).values()).containsExactly(48.0);
    assertThat(k96.references()).extracting(Views.ReferenceLine::value).containsExactly(62.42);
    assertThat(k96.references().get(0).tap()).isEqualTo("feature4");
  }

  @Test
  void knnHasALinePerKAlignedOnTheCheckpointsSteps() {
    EvalResult first = Records.result("r", 100, "knn", "imagenet", List.of(
        new EvalRow("k=200", "top1", 10.0), new EvalRow("k=20", "top1", 11.0), new EvalRow("k=20", "top5", 30.0)));
    EvalResult second = Records.result("r", 200, "knn", "imagenet", List.of(new EvalRow("k=20", "top1", 12.0)));

    List<Views.Chart> charts = Views.charts(List.of(second, first), seed);

    assertThat(charts).hasSize(1); // top5 is in the table's downloads, not charted
    Views.Chart knn = charts.get(0);
    assertThat(knn.steps()).containsExactly(100L, 200L);
    assertThat(knn.lines()).extracting(Views.Line::tap).containsExactly("k=20", "k=200");
    assertThat(knn.lines().get(0).values()).containsExactly(11.0, 12.0);
    assertThat(knn.lines().get(1).values()).containsExactly(10.0, null);
    assertThat(knn.references()).extracting(Views.ReferenceLine::tap).containsExactly("k=10", "k=20", "k=100", "k=200");
  }

  @Test
  void referencesOnlyWhereTheDatasetIsTheSeedsAndRunsAreNamedWhenSeveral() {
    EvalResult mnist = Records.result("a", 10, "linear-mhead", "fashion-mnist", List.of(new EvalRow("feature4", "top1", 80.0)));
    EvalResult places = Records.result("a", 10, "linear-mhead", "places205", List.of(new EvalRow("feature4", "top1", 40.0)));
    EvalResult placesB = Records.result("b", 10, "linear-mhead", "places205", List.of(new EvalRow("feature4", "top1", 41.0)));

    List<Views.Chart> charts = Views.charts(List.of(mnist, places, placesB), seed);

    assertThat(charts).extracting(Views.Chart::dataset).containsExactly("fashion-mnist", "places205");
    assertThat(charts.get(0).references()).isEmpty();
    assertThat(charts.get(1).references()).extracting(Views.ReferenceLine::value)
        .containsExactly(18.94, 34.72, 44.53, 46.30, 44.12);
    assertThat(charts.get(1).lines()).extracting(Views.Line::name).containsExactly("a feature4", "b feature4");
  }

  @Test
  void denseMetricsGetAChartEachAndSeedValues() {
    EvalResult coco = Records.result("r", 10, "detection-coco", "coco2017", List.of(
        new EvalRow("bbox", "mAP", 20.0), new EvalRow("segm", "mAP", 18.0), new EvalRow("bbox", "AP50", 35.0),
        new EvalRow("bbox", "AP75", 21.0)));
    EvalResult seg = Records.result("r", 10, "segmentation-voc", "voc12aug", List.of(new EvalRow("fcn", "mIoU", 30.0)));

    List<Views.Chart> charts = Views.charts(List.of(seg, coco), seed);

    assertThat(charts).extracting(Views.Chart::id)
        .containsExactly("detection-coco/coco2017/AP50", "detection-coco/coco2017/mAP", "segmentation-voc/voc12aug/mIoU");
    assertThat(charts.get(1).references()).extracting(Views.ReferenceLine::value).containsExactly(37.9, 34.2);
    assertThat(charts.get(2).references()).extracting(Views.ReferenceLine::value).containsExactly(64.31);
  }

  @Test
  void everySeedValueOfTheProtocolsIsThere() {
    // the seed page's tables, as in the protocols' summary
    assertThat(seed.all()).extracting(SeedReferences.Reference::value).containsAll(Arrays.asList(
        67.70, 20.60, 24.35, 31.41, 39.17, 46.56, 53.37, 59.14, 62.42, 12.15, 31.99, 44.57, 54.20, 45.94, 48.12,
        18.94, 34.72, 44.53, 46.30, 44.12, 11.0, 11.9, 12.6, 12.4, 79.67, 37.9, 56.5, 34.2, 53.9, 64.31));
  }
}
