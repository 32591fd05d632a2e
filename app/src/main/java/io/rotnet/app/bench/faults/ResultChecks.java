package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.EvalResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The exactly-once check of the evaluators' output: the committed results (read-committed) of a
 * set of checkpoint events, one per (checkpoint, benchmark, dataset), none missing.
 */
record ResultChecks(List<CheckpointEvent> events, List<EvalResult> results, Map<String, Long> perKey) {

  static ResultChecks of(EmbeddedStack stack, List<CheckpointEvent> events) {
    List<EvalResult> results = committed(stack);
    Map<String, Long> perKey = results.stream().collect(Collectors.groupingBy(
        r -> r.getCheckpointId() + "/" + r.getBenchmark() + "/" + r.getDataset(), Collectors.counting()));
    return new ResultChecks(events, results, perKey);
  }

  /** Every committed result now. */
  static List<EvalResult> committed(EmbeddedStack stack) {
    return TopicCounts.readAll(stack, Topics.EVAL_RESULTS);
  }

  Invariant noneMissing() {
    List<String> missing = events.stream().map(CheckpointEvent::getCheckpointId)
        .filter(id -> perKey.keySet().stream().noneMatch(k -> k.startsWith(id + "/"))).toList();
    return Invariant.check("no result missing", missing.isEmpty(),
        missing.isEmpty() ? events.size() + " checkpoint(s) all evaluated" : "without a result: " + missing);
  }

  Invariant noneDoubled() {
    List<String> doubled = perKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    return Invariant.check("exactly one result per (checkpoint, benchmark, dataset)", doubled.isEmpty(),
        results.size() + " committed result(s) for " + perKey.size() + " key(s); doubled: " + doubled);
  }
}
