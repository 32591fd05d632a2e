package io.rotnet.app.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of {@code rotnet bench faults --scenarios evaluator-sigkill}: two real evaluator
 * processes race in one group for a training run's checkpoints, the evaluating one is killed with
 * SIGKILL mid-benchmark and restarted; every checkpoint still gets exactly one committed result.
 * Its kills come at most 250 ms into an evaluation (the first kills of passing runs landed 160 to
 * 734 ms in): aimed as late as the full bench's 1.5 s, a fresh-clone run's second kill kept
 * missing until all 8 checkpoints were evaluated.
 */
class EvaluatorKillScenarioTest {

  @Test
  @Timeout(300)
  void killedEvaluatorsLoseNoResultAndDoubleNone(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new EvaluatorKillScenario(2, 16, 200, 250)), 3)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults()).as(output).hasSize(2)
        .allSatisfy(f -> assertThat(f).contains("evaluating evaluated-step-"));
    assertThat(report.expected()).as(output).isEqualTo(8).isEqualTo(report.published());
    assertThat(report.consumed()).as("evaluations started, the killed ones included").isGreaterThanOrEqualTo(10);
    assertThat(report.invariants()).extracting(Invariant::name).contains(
        "no result missing", "exactly one result per (checkpoint, benchmark, dataset)",
        "killed evaluations leave no visible result");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }

  @Test
  void theEvaluationInFlightIsTheLastStartedAndNotPublished() {
    String log = "evaluating r-step-2 (run r, step 2)\npublished r-step-2/knn/fmnist (3 rows)\n"
        + "evaluating r-step-4 (run r, step 4)\n";
    assertThat(EvaluatorKillScenario.inFlight(log)).isEqualTo("r-step-4");
    assertThat(EvaluatorKillScenario.inFlight(log + "published r-step-4/knn/fmnist (3 rows)\n")).isNull();
    assertThat(EvaluatorKillScenario.inFlight(log + "\n--- killed ---\n")).isNull();
  }
}
