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
 * The untimed form of {@code rotnet bench faults --scenarios bad-input}: four kinds of bad
 * record injected while the producer runs are each dead-lettered by the trainer with their own
 * reason, and every good record is still trained on (the throughput comparison is the bench's).
 */
class BadInputScenarioTest {

  @Test
  @Timeout(240)
  void badRecordsAreDeadLetteredWithTheirReasonAndGoodOnesAllTrained(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new BadInputScenario(5, false, 180)), 13)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.expected()).as("bad records injected").isGreaterThanOrEqualTo(8);
    assertThat(report.deadLettered()).as(output).isPositive().isLessThanOrEqualTo(report.expected());
    assertThat(report.invariants()).extracting(Invariant::name).containsExactly("every service finishes",
        "every bad record read is dead-lettered with its reason, no good one is", "every good record is trained on");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }
}
