package io.rotnet.app;

import io.rotnet.app.options.ServiceOptions;
import io.rotnet.dashboard.Dashboard;
import io.rotnet.dashboard.DashboardSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves the live dashboard until stopped. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a live web page of the pipeline: training curves per run, every checkpoint's results"
          + " against the seed's published values, the latest-results table and pipeline health"
          + " (consumer lag, dead letters, evaluations in progress).",
      "Reads the metrics, checkpoints, results and dead-letter topics; read-only. Also serves the"
          + " data as JSON under /api/ and Prometheus metrics at /metrics. Prints its URL."
    })
public final class DashboardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "${env:ROTNET_DASHBOARD_BIND:-127.0.0.1}",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 to serve other machines).")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    DashboardSettings settings = DashboardSettings.defaults(service.bootstrapServers, service.schemaRegistryUrl)
        .withAddress(bind, port);
    CountDownLatch stopped = new CountDownLatch(1);
    try (Dashboard dashboard = Dashboard.start(settings);
        StopOnSignal signal = StopOnSignal.install("rotnet-dashboard", stopped::countDown, Duration.ofSeconds(10))) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("dashboard: " + dashboard.url());
      out.flush();
      stopped.await();
    }
    return 0;
  }
}
