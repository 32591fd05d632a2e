package io.rotnet.app;

import ai.djl.util.Utils;
import io.rotnet.app.options.ServiceOptions;
import io.rotnet.trainer.devices.EngineDevices;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a deployment needs checked, in one report; non-zero exit when something is wrong. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Reports the engine (libtorch version, flavour, where its natives were loaded from), the"
          + " GPUs it can use, DJL_OFFLINE, whether the broker and the registry answer, and the free"
          + " space of the checkpoint and cache directories.",
      "Exits 1 when something is wrong: a service does not answer, a directory is short of space,"
          + " or (with --require-gpu) no GPU is usable."
    })
public final class DoctorCommand implements Callable<Integer> {

  private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(
      names = "--require-gpu",
      description = "A CPU-only libtorch or no usable GPU is a problem (the GPU trainer's check).")
  boolean requireGpu;

  @Option(
      names = "--skip-services",
      description = "Do not contact the broker and the registry (a container's own health check).")
  boolean skipServices;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = "/var/lib/rotnet/checkpoints",
      description = "Checkpoint directory whose free space to report (default: ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      defaultValue = "${sys:java.io.tmpdir}/rotnet-features",
      description = "Feature cache directory whose free space to report (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(
      names = "--min-free",
      paramLabel = "BYTES",
      defaultValue = "1073741824",
      description = "Free space below which a directory is a problem (default: ${DEFAULT-VALUE}, 1 GiB).")
  long minFree;

  private final List<String> problems = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    engine(out);
    String offline = Utils.getEnvOrSystemProperty("DJL_OFFLINE");
    out.printf("DJL_OFFLINE: %s%s%n", offline == null ? "unset" : offline,
        "true".equalsIgnoreCase(offline) ? "" : " (DJL may try to download natives or models)");
    if (skipServices) {
      out.println("broker, registry: not checked (--skip-services)");
    } else {
      broker(out);
      registry(out);
    }
    directory(out, "checkpoints", checkpointDir);
    directory(out, "feature cache", cacheDir);
    if (problems.isEmpty()) {
      out.println("ok");
    } else {
      out.printf("%d problem(s):%n", problems.size());
      problems.forEach(problem -> out.println("  - " + problem));
    }
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  private void engine(PrintWriter out) {
    EngineDevices engine;
    try {
      engine = EngineDevices.current();
      out.println("engine: " + engine.describe());
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      out.println("engine: cannot load: " + ExitCodes.describe(e));
      problems.add("the engine does not load: " + ExitCodes.describe(e));
      return;
    }
    out.println("devices: " + engine.available());
    List<EngineDevices.Gpu> gpus = engine.gpus();
    out.printf("GPUs usable: %d%n", gpus.size());
    for (EngineDevices.Gpu gpu : gpus) {
      out.printf("  gpu%d: compute capability %s, %.1f GiB, %.1f GiB in use%n",
          gpu.index(), gpu.computeCapability(), gpu.totalBytes() / GIB, gpu.usedBytes() / GIB);
    }
    List<String> driver = EngineDevices.driverReport();
    out.println("NVIDIA driver: " + (driver.isEmpty() ? "none found" : driver.get(0)));
    driver.stream().skip(1).forEach(line -> out.println("  " + line));
    if (requireGpu && gpus.isEmpty()) {
      problems.add(
          engine.cudaBuild()
              ? "no GPU usable by the CUDA build of libtorch (driver, container GPU access)"
              : "libtorch is a CPU-only build (" + engine.libtorchPath() + "): no GPU can be used");
    }
  }

  private void broker(PrintWriter out) {
    int timeout = (int) SERVICE_TIMEOUT.toMillis();
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    try (Admin admin = Admin.create(config)) {
      String cluster =
          admin.describeCluster().clusterId().get(timeout, TimeUnit.MILLISECONDS);
      int brokers = admin.describeCluster().nodes().get(timeout, TimeUnit.MILLISECONDS).size();
      out.printf("broker %s: answers (cluster %s, %d broker(s))%n", service.bootstrapServers, cluster, brokers);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      notAnswering(out, "broker", service.bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notAnswering(out, "broker", service.bootstrapServers, e);
    }
  }

  private void registry(PrintWriter out) {
    String url = service.schemaRegistryUrl;
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(SERVICE_TIMEOUT).build();
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/subjects"))
              .timeout(SERVICE_TIMEOUT)
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        long subjects = response.body().chars().filter(c -> c == '"').count() / 2;
        out.printf("registry %s: answers (%d subject(s))%n", url, subjects);
      } else {
        out.printf("registry %s: HTTP %d%n", url, response.statusCode());
        problems.add("the registry at " + url + " answers HTTP " + response.statusCode() + " to /subjects");
      }
    } catch (IOException | RuntimeException e) {
      notAnswering(out, "registry", url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notAnswering(out, "registry", url, e);
    }
  }

  private void notAnswering(PrintWriter out, String what, String address, Exception e) {
    String reason = e instanceof TimeoutException
        ? "no answer within " + SERVICE_TIMEOUT.toSeconds() + " s"
        : ExitCodes.describe(e);
    out.printf("%s %s: does not answer (%s)%n", what, address, reason);
    problems.add("the " + what + " at " + address + " does not answer: " + reason);
  }

  private void directory(PrintWriter out, String what, Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      out.printf("%s %s: no part of the path exists%n", what, dir);
      problems.add(what + " directory " + dir + " cannot be created: no part of the path exists");
      return;
    }
    try {
      long free = Files.getFileStore(existing).getUsableSpace();
      String note = existing.equals(dir.toAbsolutePath()) ? "" : " (not created yet; space of " + existing + ")";
      out.printf("%s %s: %.1f GiB free%s%s%n", what, dir, free / GIB, note,
          Files.isWritable(existing) ? "" : ", not writable");
      if (free < minFree) {
        problems.add(String.format("%s directory %s has %.2f GiB free, below %.2f GiB", what, dir, free / GIB, minFree / GIB));
      }
      if (!Files.isWritable(existing)) {
        problems.add(what + " directory " + existing + " is not writable");
      }
    } catch (IOException e) {
      problems.add("cannot read the free space of " + dir + ": " + e.getMessage());
    }
  }

  private static final double GIB = 1024.0 * 1024 * 1024;
}
