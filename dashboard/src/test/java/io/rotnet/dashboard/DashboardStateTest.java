package io.rotnet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

  @Test
  void longRunsAreThinnedKeepingBothEnds() {
    DashboardState state = new DashboardState();
    int n = DashboardState.MAX_POINTS_PER_RUN + 1;
    for (int step = 1; step <= n; step++) {
      state.addMetrics(Records.metrics("r", step));
    }
    List<DashboardState.TrainingPoint> points = state.snapshot().training().get("r");
    assertThat(points.size()).isLessThanOrEqualTo(n / 2 + 1);
    assertThat(points.get(0).step()).isEqualTo(1);
    assertThat(points.get(points.size() - 1).step()).isEqualTo(n);
  }

  @Test
  void theNextCheckpointOfABusyEvaluatorRunsSinceItsLastResult() {
    DashboardState state = new DashboardState();
    CheckpointEvent first = Records.checkpoint("r", 100);
    CheckpointEvent second = Records.checkpoint("r", 200);
    CheckpointEvent third = Records.checkpoint("r", 300);
    first.setCreatedAt(Instant.parse("2026-01-01T00:00:00Z"));
    second.setCreatedAt(Instant.parse("2026-01-01T00:01:00Z"));
    third.setCreatedAt(Instant.parse("2026-01-01T00:02:00Z"));
    state.addCheckpoint(first, 0, 0);
    state.addCheckpoint(second, 0, 1);
    state.addCheckpoint(third, 0, 2);
    EvalResult done = Records.result("r", 100, "knn", "tiny", List.of());
    done.setFinishedAt(Instant.parse("2026-01-01T00:05:00Z"));
    state.putResult(Records.resultKey(done), done);
    state.setLag(List.of(new DashboardState.GroupLag("rotnet-eval-knn-tiny", "evaluator", "Stable", 1,
            Map.of("rotnet.checkpoints", 2L))),
        List.of(new DashboardState.GroupPosition("rotnet-eval-knn-tiny", true, 0, 1, 3),
            new DashboardState.GroupPosition("rotnet-eval-svm-tiny", false, 0, 3, 3)),
        Instant.now());

    List<Views.Evaluation> evaluations = Views.evaluations(state.snapshot());

    assertThat(evaluations).hasSize(1); // the svm group is up to date
    Views.Evaluation knn = evaluations.get(0);
    assertThat(knn.checkpointId()).isEqualTo("r-step-200");
    assertThat(knn.running()).isTrue();
    assertThat(knn.since()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z")); // later than the event
    assertThat(knn.waiting()).isEqualTo(1);
  }

  @Test
  void aChangeWakesTheWaitersAndClosingEndsThem() throws Exception {
    DashboardState state = new DashboardState();
    long seen = state.version();
    Thread writer = new Thread(() -> state.addMetrics(Records.metrics("r", 1)));
    writer.start();
    assertThat(state.awaitChange(seen, 10_000)).isEqualTo(seen + 1);
    writer.join();
    state.close();
    assertThat(state.awaitChange(seen + 1, 10_000)).isEqualTo(-1);
  }
}
