package io.rotnet.evaluator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointEvaluatorTest {
  @TempDir static Path dir;
  static EvalDataset shapes;
  static Path checkpoints;
  static WrittenCheckpoint checkpoint;

  @BeforeAll
  static void writeCheckpointAndDataset() throws Exception {
    shapes = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 45, 24)).open();
    checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    checkpoint = Fixtures.checkpoint(checkpoints, "run1", 100);
  }

  @Test
  void knnOnAVerifiedCheckpointGivesOneRowPerKAndMetric() throws Exception {
    BenchmarkSettings knn = BenchmarkSettings.defaults(BenchmarkKind.KNN).withKnnKs(new int[] {1, 5});
    CheckpointEvaluator evaluator = evaluator(knn);
    CheckpointEvent event = Fixtures.event(checkpoint);

    EvalResult result = evaluator.evaluate(event, evaluator.verify(event));

    assertThat(result.getCheckpointId()).isEqualTo("run1-step-100");
    assertThat(result.getStep()).isEqualTo(100);
    assertThat(result.getBenchmark()).isEqualTo("knn");
    assertThat(result.getDataset()).isEqualTo("shapes");
    assertThat(result.getRows()).extracting(EvalRow::getTap).containsExactly("k=1", "k=1", "k=5", "k=5");
    assertThat(result.getRows()).extracting(EvalRow::getMetric).containsExactly("top1", "top5", "top1", "top5");
    // dark, bright and striped images: even random features put neighbours in the right class
    assertThat(result.getRows().get(0).getValue()).isGreaterThan(60.0);
    assertThat(result.getFinishedAt()).isAfterOrEqualTo(result.getStartedAt());
    assertThat(evaluator.resultKey("run1-step-100")).isEqualTo("run1-step-100/knn/shapes");
  }

  @Test
  void svmAndTheLinearHeadsReportEveryTap() throws Exception {
    BenchmarkSettings svm = BenchmarkSettings.defaults(BenchmarkKind.SVM).withCosts(new double[] {0.1, 1, 10});
    BenchmarkSettings mhead = BenchmarkSettings.defaults(BenchmarkKind.LINEAR_MHEAD_CACHED).withLinearEpochs(2).withLinearBatchSize(16);
    CheckpointEvent event = Fixtures.event(checkpoint);

    List<EvalRow> svmRows = evaluate(svm, event).getRows();
    List<EvalRow> mheadRows = evaluate(mhead, event).getRows();

    assertThat(svmRows).extracting(EvalRow::getTap)
        .startsWith("feature1", "feature2", "feature3", "feature4", "feature5")
        .last().asString().startsWith("best:feature");
    assertThat(svmRows).allSatisfy(r -> assertThat(r.getValue()).isBetween(0.0, 100.0));
    assertThat(mheadRows).hasSize(10);
    assertThat(mheadRows).extracting(EvalRow::getMetric).containsOnly("top1", "top5");
  }

  @Test
  void tamperedOrMisplacedCheckpointsAreRefusedWithAReason() throws Exception {
    WrittenCheckpoint other = Fixtures.checkpoint(checkpoints, "run2", 7);
    CheckpointEvaluator evaluator = evaluator(BenchmarkSettings.defaults(BenchmarkKind.KNN));
    Path parameters = other.directory().resolve(CheckpointLayout.PARAMETERS_FILE);
    try (RandomAccessFile file = new RandomAccessFile(parameters.toFile(), "rw")) {
      file.seek(200);
      int b = file.read();
      file.seek(200);
      file.write(~b & 0xff);
    }

    assertThatThrownBy(() -> evaluator.verify(Fixtures.event(other)))
        .isInstanceOfSatisfying(CheckpointException.class,
            e -> assertThat(e.reason()).isEqualTo(CheckpointException.Reason.HASH_MISMATCH));
    assertThatThrownBy(() -> evaluator.verify(Fixtures.event(checkpoint, "../outside", checkpoint.manifestSha256())))
        .isInstanceOfSatisfying(CheckpointException.class,
            e -> assertThat(e.reason()).isEqualTo(CheckpointException.Reason.OUTSIDE_ROOT));
    assertThatThrownBy(() -> evaluator.verify(Fixtures.event(checkpoint, checkpoint.location(), "00".repeat(32))))
        .isInstanceOfSatisfying(CheckpointException.class,
            e -> assertThat(e.reason()).isEqualTo(CheckpointException.Reason.MANIFEST_MISMATCH));
  }

  @Test
  void probesAndKnnRefuseMultiLabelDatasetsUpFront() throws Exception {
    Path voc = dir.resolve("voc");
    Files.createDirectories(voc.resolve("JPEGImages"));
    Files.createDirectories(voc.resolve("ImageSets/Main"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "jpg", voc.resolve("JPEGImages/000001.jpg").toFile());
    Files.writeString(voc.resolve("ImageSets/Main/car_trainval.txt"), "000001 1\n");
    Files.writeString(voc.resolve("ImageSets/Main/car_test.txt"), "000001 1\n");
    EvalDataset multiLabel = DatasetSpec.parse("voc07:" + voc).open();

    assertThatThrownBy(() -> CheckpointEvaluator.builder()
            .setReader(new CheckpointReader(checkpoints)).setDataset(multiLabel)
            .setRunner(new BenchmarkRunner(BenchmarkSettings.defaults(BenchmarkKind.KNN)))
            .setCache(new FeatureCache(dir.resolve("cache"))).build())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("multi-label");
  }

  private static EvalResult evaluate(BenchmarkSettings settings, CheckpointEvent event) throws Exception {
    CheckpointEvaluator evaluator = evaluator(settings);
    return evaluator.evaluate(event, evaluator.verify(event));
  }

  static CheckpointEvaluator evaluator(BenchmarkSettings settings) throws Exception {
    return CheckpointEvaluator.builder()
        .setReader(new CheckpointReader(checkpoints))
        .setDataset(shapes)
        .setRunner(new BenchmarkRunner(settings.withThreads(2)))
        .setCache(new FeatureCache(dir.resolve("cache")))
        .optBatchSize(16)
        .build();
  }
}
