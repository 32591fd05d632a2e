package io.rotnet.app.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.bench.BenchPlan;
import io.rotnet.trainer.bench.PrecisionBenchmark;
import io.rotnet.trainer.bench.TrainerBenchResult;
import io.rotnet.trainer.bench.TrainerBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Benchmark P2: training fed from Kafka against in-memory batches; ResNet-50 CPU throughput. With
 * {@code --compare-precisions}: training img/s in fp32, bf16 and fp16 side by side instead.
 */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark P2: training img/s fed from Kafka (an embedded broker, through the prefetcher)",
      "against in-memory batches of the same shape, in alternating blocks of one run (goal: a",
      "ratio of at least 0.95), for a small preset (the hardest case for the input path) and for",
      "ResNet-50 at 64 px, batch 32 (goal: at least 20 img/s on 2 cores); also the prefetcher's",
      "rate with nothing training.",
      "With --compare-precisions: training img/s in fp32, bf16 and fp16 from in-memory batches,",
      "in alternating blocks of one run, for the same two networks (no broker)."
    })
public final class TrainerBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--preset",
      defaultValue = "rotnet-tiny-cpu",
      description = "Preset of the Kafka-versus-memory comparison (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--encoding",
      defaultValue = "RAW_RGB8",
      description =
          "Pixel encoding of the records: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PixelEncoding encoding;

  @Option(
      names = "--compare-precisions",
      description =
          "Compare fp32, bf16 and fp16 training instead of the feeds; fp16 on a CPU is slow, hence"
              + " the smaller step defaults below.")
  boolean comparePrecisions;

  @Option(
      names = "--steps",
      description =
          "Timed steps per feed (or precision) and round (default: 20; 10 with"
              + " --compare-precisions).")
  Integer steps;

  @Option(
      names = "--rounds",
      description =
          "Rounds of memory then Kafka, or of one block per precision (default: 4; 3 with"
              + " --compare-precisions).")
  Integer rounds;

  @Option(
      names = "--warmup",
      description =
          "Untimed steps per feed (or precision) before the rounds (default: 20; 5 with"
              + " --compare-precisions).")
  Integer warmUp;

  @Option(
      names = "--resnet50-steps",
      description =
          "Timed ResNet-50 steps per feed (or precision) and round; 0 skips ResNet-50 (default: 6;"
              + " 2 with --compare-precisions).")
  Integer resnet50Steps;

  @Option(
      names = "--resnet50-rounds",
      description =
          "Rounds of the ResNet-50 comparison (default: 3; 2 with --compare-precisions).")
  Integer resnet50Rounds;

  @Option(
      names = "--resnet50-size",
      defaultValue = "64",
      description = "ResNet-50 input side (default: ${DEFAULT-VALUE}).")
  int resnet50Size;

  @Option(
      names = "--resnet50-batch",
      defaultValue = "32",
      description = "ResNet-50 batch (default: ${DEFAULT-VALUE}).")
  int resnet50Batch;

  @Option(
      names = "--per-tensor-update",
      description =
          "Update parameters tensor by tensor instead of through the trainer's one flat buffer,"
              + " to measure what the flat buffer gains.")
  boolean perTensorUpdate;

  @Override
  public Integer call() throws Exception {
    if (comparePrecisions) {
      return comparePrecisions();
    }
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = Files.createTempDirectory("rotnet-bench-trainer");
    try (EmbeddedStack stack = EmbeddedStack.start(scratch.resolve("stack"))) {
      TrainerBenchResult result =
          TrainerBenchmark.builder()
              .setKafka(
                  new KafkaSettings(
                      stack.bootstrapServers(), stack.schemaRegistryUrl(), "rotnet-bench-trainer"))
              .optPlan(plan(BenchPlan.feeds()))
              .optEncoding(encoding)
              .optLog(out)
              .build()
              .run();
      out.println();
      out.print(result.report());
      out.flush();
    } finally {
      deleteTree(scratch);
    }
    return 0;
  }

  /** The command's options over a benchmark's default plan. */
  private BenchPlan plan(BenchPlan defaults) {
    return defaults.toBuilder()
        .preset(TrainingPresets.require(preset))
        .steps(or(steps, defaults.steps()))
        .rounds(or(rounds, defaults.rounds()))
        .warmUpSteps(or(warmUp, defaults.warmUpSteps()))
        .resnet50(
            or(resnet50Steps, defaults.resnet50Steps()),
            or(resnet50Rounds, defaults.resnet50Rounds()))
        .resnet50Input(resnet50Size, resnet50Batch)
        .fusedUpdate(!perTensorUpdate)
        .build();
  }

  private int comparePrecisions() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String report =
        PrecisionBenchmark.builder()
            .optPlan(plan(BenchPlan.precisions()))
            .optLog(out)
            .build()
            .run()
            .report();
    out.println();
    out.print(report);
    out.flush();
    return 0;
  }

  private static int or(Integer given, int fallback) {
    return given != null ? given : fallback;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
