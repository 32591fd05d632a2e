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
 * {@code rotnet bench faults --scenarios fine-tune-resume}: a dense evaluator killed mid fine-tune
 * resumes from its saved state and still publishes exactly one result.
 */
class FineTuneResumeScenarioTest {

  @Test
  @Timeout(300)
  void aKilledFineTuneResumesFromItsSavedState(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new FineTuneResumeScenario(120, 240)), 19)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults()).as(output).hasSize(1);
    assertThat(report.expected()).isEqualTo(1).isEqualTo(report.published());
    assertThat(report.invariants()).extracting(Invariant::name).contains(
        "the restarted evaluator resumes the saved fine-tune", "exactly one result per (checkpoint, benchmark, dataset)");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }
}
