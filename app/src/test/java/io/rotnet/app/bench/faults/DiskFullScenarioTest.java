package io.rotnet.app.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rotnet bench faults --scenarios disk-full}: a trainer whose checkpoint disk fills stops
 * with the cause and leaves only complete, announced checkpoints. Runs where a tmpfs can be
 * mounted (root, as in CI); elsewhere it is skipped, not passed.
 */
class DiskFullScenarioTest {

  @Test
  @Timeout(240)
  void aFullCheckpointDiskStopsTheTrainerCleanly(@TempDir Path scratch) throws Exception {
    assumeTrue(DiskFullScenario.canMount(scratch), "mounting a tmpfs needs root");
    StringWriter printed = new StringWriter();
    List<ScenarioReport> reports = new FaultSuite(List.of(new DiskFullScenario(14, 180)), 17)
        .run(scratch, new PrintWriter(printed, true));

    ScenarioReport report = reports.get(0);
    String output = printed.toString();
    System.out.print(output);
    assertThat(report.expected()).as("checkpoints that fit before the disk filled").isBetween(1L, 3L);
    assertThat(report.invariants()).extracting(Invariant::name).contains(
        "the trainer stops with the cause and the checkpoint it could not write", "nothing partial is left",
        "every checkpoint on the disk verifies");
    assertThat(report.invariants()).as(output).allMatch(Invariant::held);
  }
}
