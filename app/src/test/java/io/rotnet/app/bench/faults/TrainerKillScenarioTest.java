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
 * The short form of {@code rotnet bench faults}: a real trainer process is killed with SIGKILL
 * while it writes a checkpoint and restarted; it resumes from the newest complete checkpoint,
 * trusts no partial directory, announces every checkpoint once and ends bit-identical to an
 * uninterrupted run.
 */
class TrainerKillScenarioTest {

  @Test
  @Timeout(240)
  void sigkilledTrainerResumesExactly(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    TrainerKillScenario scenario =
        new TrainerKillScenario(
            List.of(TrainerKillScenario.Trigger.WHILE_WRITING_CHECKPOINT), 1, 4, 180);
    List<ScenarioReport> reports =
        new FaultSuite(List.of(scenario), 7).run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults())
        .as(output)
        .singleElement()
        .satisfies(f -> assertThat(f).startsWith("SIGKILL 1 WHILE_WRITING_CHECKPOINT (partial"));
    assertThat(report.produced()).isEqualTo(4000);
    assertThat(report.invariants())
        .extracting(Invariant::name)
        .contains(
            "resumes from the newest complete checkpoint",
            "no partial checkpoint directory trusted",
            "every checkpoint has exactly one event",
            "final weights and momentum bit-identical to the uninterrupted run");
    assertThat(output).contains("| trainer-sigkill | " + report.faults().size() + " |");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
    assertThat(report.expected()).isEqualTo(2).isEqualTo(report.published());
  }
}
