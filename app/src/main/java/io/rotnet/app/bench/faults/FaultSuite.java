package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs fault scenarios one after another, each on its own embedded broker and registry, prints
 * what each injected and checked, then a summary table.
 */
public final class FaultSuite {

  private final List<FaultScenario> scenarios;
  private final long seed;

  public FaultSuite(List<FaultScenario> scenarios, long seed) {
    this.scenarios = List.copyOf(scenarios);
    this.seed = seed;
  }

  public List<ScenarioReport> run(Path scratch, PrintWriter out) throws Exception {
    List<ScenarioReport> reports = new ArrayList<>();
    Random random = new Random(seed);
    for (FaultScenario scenario : scenarios) {
      out.printf("scenario %s%n", scenario.name());
      out.flush();
      Path dir = Files.createDirectories(scratch.resolve(scenario.name()));
      ScenarioReport report;
      try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
        report = scenario.run(stack, dir, random, out);
      }
      report.invariants().forEach(out::println);
      out.flush();
      reports.add(report);
    }
    out.println();
    out.print(table(reports));
    out.flush();
    return reports;
  }

  /** The summary as a Markdown table, the form docs/BENCHMARKS.md records. */
  public static String table(List<ScenarioReport> reports) {
    StringBuilder table =
        new StringBuilder(
            "| scenario | faults injected | records produced / consumed / dead-lettered"
                + " | outputs expected / published | invariants held |\n"
                + "|---|---|---|---|---|\n");
    for (ScenarioReport r : reports) {
      List<String> broken =
          r.invariants().stream().filter(i -> !i.held()).map(Invariant::name).toList();
      table.append(
          String.format(
              "| %s | %d | %d / %d / %d | %d / %d | %d of %d%s |%n",
              r.scenario(),
              r.faults().size(),
              r.produced(),
              r.consumed(),
              r.deadLettered(),
              r.expected(),
              r.published(),
              r.heldCount(),
              r.invariants().size(),
              broken.isEmpty() ? "" : " (broken: " + String.join("; ", broken) + ")"));
    }
    return table.toString();
  }
}
