package io.rotnet.app.bench.faults;

/** One property a scenario checked after its faults, with what it saw. */
public record Invariant(String name, boolean held, String detail) {

  public static Invariant check(String name, boolean held, String detail) {
    return new Invariant(name, held, detail);
  }

  @Override
  public String toString() {
    return (held ? "  held    " : "  BROKEN  ") + name + ": " + detail;
  }
}
