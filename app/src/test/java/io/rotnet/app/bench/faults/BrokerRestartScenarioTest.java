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
 * The short form of {@code rotnet bench faults --scenarios broker-restart}: the broker is stopped
 * and started again while a real producer, trainer and evaluator run; all three carry on by
 * themselves and nothing is lost or doubled.
 */
class BrokerRestartScenarioTest {

  @Test
  @Timeout(300)
  void thePipelineRidesOutABrokerRestart(@TempDir Path scratch) throws Exception {
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new BrokerRestartScenario(1, 40, 3, 200)), 5)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.faults()).as(output).singleElement()
        .satisfies(f -> assertThat(f).startsWith("broker restart 1 (down 3 s)"));
    assertThat(report.produced()).as("every image of the source, four views each").isEqualTo(4000);
    assertThat(report.expected()).as(output).isEqualTo(5).isEqualTo(report.published());
    assertThat(report.invariants()).extracting(Invariant::name).contains(
        "no acknowledged record lost or doubled", "no duplicate view or broken group reaches the trainer",
        "every checkpoint has exactly one event", "no result missing",
        "exactly one result per (checkpoint, benchmark, dataset)");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }
}
