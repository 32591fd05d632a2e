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
 * twice (in a step, then mid-checkpoint) and
 * restarted, and the suite reports every fault and every invariant.
 */
class TrainerKillScenarioTest {

  @Test
  @Timeout(240)
  void sigkilledTrainerResumesExactly(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports =
        new FaultSuite(List.of(new TrainerKillScenario(2, 6, 180)), 7)
            .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults()).as(output).isNotEmpty().allMatch(f -> f.startsWith("SIGKILL"));
    assertThat(report.produced()).isEqualTo(4000);
    assertThat(report.invariants())
        .extracting(Invariant::name)
        .contains(
            "resumes from the newest complete checkpoint",
            "no partial checkpoint directory trusted",
            "every checkpoint has exactly one event",
            "final weights and momentum bit-identical to the uninterrupted run");
    assertThat(output).contains("| trainer-sigkill | " + report.faults().size() + " |");
    assertThat(report.invariants().stream().filter(i -> !i.name().startsWith("every checkpoint")))
        .as(output)
        .allMatch(Invariant::held);
  }
}
