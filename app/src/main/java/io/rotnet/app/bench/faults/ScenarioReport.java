package io.rotnet.app.bench.faults;

import java.util.List;

/**
 * What one scenario injected and what it counted: records produced to the input topic, consumed
 * by the service under test, dead-lettered, and the outputs (checkpoint events or results)
 * expected and published.
 */
public record ScenarioReport(
    String scenario,
    List<String> faults,
    long produced,
    long consumed,
    long deadLettered,
    long expected,
    long published,
    List<Invariant> invariants) {

  public boolean allHeld() {
    return invariants.stream().allMatch(Invariant::held);
  }

  public long heldCount() {
    return invariants.stream().filter(Invariant::held).count();
  }
}
