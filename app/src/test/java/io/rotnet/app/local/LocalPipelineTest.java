package io.rotnet.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.app.local.LocalPipeline.LocalRun;
import io.rotnet.schemas.avro.EvalResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the embedded broker: the bundled images are produced, the tiny preset trains
 * until two checkpoints exist, two benchmarks evaluate both, and the results view shows all four
 * results.
 */
class LocalPipelineTest {

  private static final Path IMAGES = Path.of("../data/fashion-mnist-mini");

  @Test
  void everyCheckpointIsEvaluatedByEveryBenchmark(@TempDir Path runDir) throws Exception {
    LocalSettings settings = new LocalSettings(
        runDir, IMAGES.resolve("train-images-idx3-ubyte.gz"), "idx:" + IMAGES, "rotnet-tiny-cpu",
        6, 3, List.of("knn", "linear-avgpool-cached"), 300, 100, 7, Duration.ofMinutes(5));
    StringWriter progress = new StringWriter();

    LocalRun run = new LocalPipeline(settings, new PrintWriter(progress)).run();

    assertThat(run.checkpoints()).isEqualTo(2);
    assertThat(run.results()).hasSize(4);
    Set<String> evaluated = run.results().stream()
        .map(result -> result.getCheckpointId() + "/" + result.getBenchmark())
        .collect(Collectors.toSet());
    assertThat(evaluated).containsExactlyInAnyOrder(
        "local-step-3/knn", "local-step-3/linear-avgpool-cached",
        "local-step-6/knn", "local-step-6/linear-avgpool-cached");
    for (EvalResult result : run.results()) {
      assertThat(result.getRows()).as(result.getBenchmark() + " rows").isNotEmpty();
      assertThat(result.getRows()).allSatisfy(row -> assertThat(row.getValue()).isBetween(0.0, 100.0));
    }
    assertThat(run.table()).contains("local-step-3", "local-step-6", "knn", "linear-avgpool-cached");
    assertThat(Files.list(settings.checkpointDir().resolve("local"))).hasSize(2);
    assertThat(progress.toString()).contains("results: 4 of 4");
  }
}
