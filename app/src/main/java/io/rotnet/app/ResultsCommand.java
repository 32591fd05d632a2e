package io.rotnet.app;

import io.rotnet.app.options.ServiceOptions;
import io.rotnet.evaluator.results.ResultsTable;
import io.rotnet.evaluator.results.ResultsView;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the latest benchmark results per checkpoint. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the latest benchmark results per checkpoint: rows are checkpoints by step, columns"
          + " benchmark/dataset/tap (mAP for the SVMs, top-1 for the probes and kNN).",
      "Starts the results view (a Kafka Streams application with a fresh state directory), waits"
          + " until it has read everything committed so far, prints and exits."
    })
public final class ResultsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}); csv and json carry every value.")
  String format;

  @Option(names = "--results-topic", paramLabel = "TOPIC", defaultValue = "rotnet.eval-results",
      description = "Topic of results (default: ${DEFAULT-VALUE}).")
  String resultsTopic;

  @Option(names = "--metrics-topic", paramLabel = "TOPIC", defaultValue = "rotnet.metrics",
      description = "Training metrics shown under the table (default: ${DEFAULT-VALUE}; 'none' to leave out).")
  String metricsTopic;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the view to start and catch up (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    ResultsTable.Format chosen = ResultsTable.Format.parse(format);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    String metrics = "none".equalsIgnoreCase(metricsTopic) ? null : metricsTopic;
    PrintWriter out = spec.commandLine().getOut();
    if (!ResultsView.existingTopics(service.bootstrapServers, timeout).contains(resultsTopic)) {
      spec.commandLine().getErr().println("rotnet results: " + resultsTopic + " does not exist yet");
      out.print(new ResultsTable(List.of(), List.of()).format(chosen));
      out.flush();
      return 0;
    }
    try (ResultsView view = ResultsView.start(service.bootstrapServers,
        new SchemaRegistryClient(service.schemaRegistryUrl), resultsTopic, metrics, timeout)) {
      view.awaitCaughtUp(timeout);
      out.print(new ResultsTable(view.results(), view.runs()).format(chosen));
      out.flush();
    }
    return 0;
  }
}
