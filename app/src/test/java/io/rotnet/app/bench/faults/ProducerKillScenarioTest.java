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
 * {@code rotnet bench faults --scenarios producer-sigkill}: a real producer process is killed
 * mid-epoch and restarted; the groups the kill cut reach the trainer's dead letters, never its
 * batches.
 */
class ProducerKillScenarioTest {

  @Test
  @Timeout(240)
  void groupsCutByAKillAreDeadLetteredNotTrained(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new ProducerKillScenario(2, 180)), 11)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults()).as(output).hasSize(2)
        .allSatisfy(f -> assertThat(f).contains("of the producer"));
    assertThat(report.produced()).as("the killed run's records and a whole epoch").isGreaterThan(4000);
    assertThat(report.invariants()).extracting(Invariant::name).contains(
        "the views a kill cut from their group are dead-lettered as incomplete",
        "the trainer trains on complete groups only");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }
}
