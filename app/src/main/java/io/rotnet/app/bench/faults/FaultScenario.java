package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Random;

/** One fault scenario: run a workload on the embedded stack, inject faults, check invariants. */
public interface FaultScenario {

  /** The name {@code --scenarios} selects it by. */
  String name();

  /**
   * Runs the scenario in {@code scratch}, printing each fault as it is injected, and returns what
   * it injected and checked.
   */
  ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out)
      throws Exception;
}
