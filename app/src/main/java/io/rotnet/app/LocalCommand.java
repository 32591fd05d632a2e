package io.rotnet.app;

import io.rotnet.app.local.LocalPipeline;
import io.rotnet.app.local.LocalPipeline.LocalRun;
import io.rotnet.app.local.LocalSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs producer, trainer and evaluators in one process on an embedded broker and prints the
 * results of every checkpoint. Logs go to a file in the run directory, so the terminal shows only
 * the pipeline's progress.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Runs the whole pipeline in one process on an embedded Kafka broker.")
public final class LocalCommand implements Callable<Integer> {

  private static final String BUNDLED_IMAGES = "data/fashion-mnist-mini";

  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "PATH",
      description = "Images to pretrain on: a folder, an IDX file or a list file "
          + "(default: the bundled Fashion-MNIST subset).")
  Path images;

  @Option(names = "--dataset", paramLabel = "[NAME=]FORMAT:PATH",
      description = "Evaluation dataset (default: the bundled Fashion-MNIST subset, idx:" + BUNDLED_IMAGES + ").")
  String dataset;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Where checkpoints, logs and results go (default: run/local-<time>).")
  Path runDir;

  @Option(names = "--preset", defaultValue = "rotnet-tiny-cpu", description = "Training preset (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--steps", defaultValue = "240", description = "Training steps (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--checkpoint-every", defaultValue = "120", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--benchmarks", split = ",", defaultValue = "knn,linear-avgpool-cached,svm",
      description = "Benchmarks run on every checkpoint (default: ${DEFAULT-VALUE}).")
  List<String> benchmarks;

  @Option(names = "--max-train", defaultValue = "1000", description = "Evaluation train images used, 0 = all (default: ${DEFAULT-VALUE}).")
  int maxTrain;

  @Option(names = "--max-test", defaultValue = "500", description = "Evaluation test images used, 0 = all (default: ${DEFAULT-VALUE}).")
  int maxTest;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the producer (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dashboard-port", defaultValue = "8090",
      description = "Port of the live dashboard on 127.0.0.1, 0 for any free one, -1 for none (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getenv().getOrDefault("ROTNET_HOME", "."));
    Path bundled = home.resolve(BUNDLED_IMAGES);
    Path run = runDir != null ? runDir
        : home.resolve("run").resolve("local-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path source = images != null ? images : bundled.resolve("train-images-idx3-ubyte.gz");
    if (!Files.exists(source)) {
      throw new IllegalArgumentException("no images at " + source + " (use --images PATH)");
    }
    LocalSettings settings = new LocalSettings(
        run.toAbsolutePath(), source, dataset != null ? dataset : "idx:" + bundled, preset, steps,
        checkpointEvery, benchmarks, maxTrain, maxTest, seed, Duration.ofMinutes(10));
    Files.createDirectories(settings.runDir());
    // The services log through slf4j-simple to System.err; the terminal keeps the progress lines.
    PrintStream console = System.err;
    PrintStream log = new PrintStream(Files.newOutputStream(settings.logFile()), true, StandardCharsets.UTF_8);
    System.setErr(log);

    PrintWriter out = spec.commandLine().getOut();
    LocalPipeline pipeline = new LocalPipeline(settings, out);
    pipeline.withDashboard(dashboardPort);
    // The run directory is printed before the signal hook lets the JVM exit.
    try (StopOnSignal signal = StopOnSignal.install("rotnet-local", pipeline::stop, Duration.ofSeconds(90))) {
      try {
        LocalRun result = pipeline.run();
        out.println();
        out.println(result.table());
        Files.writeString(settings.runDir().resolve("results.txt"), result.table());
        out.printf("%n%d checkpoint(s) evaluated by %s in %d s.%n", result.checkpoints(),
            String.join(", ", settings.benchmarks()), result.elapsed().toSeconds());
        return 0;
      } finally {
        out.printf("run directory: %s (checkpoints/, results.txt, rotnet.log, kafka/)%n", settings.runDir());
        out.flush();
        System.setErr(console);
        log.close();
      }
    }
  }
}
