package io.rotnet.app.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.TrainingPresets;
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

/** Benchmark P2: training fed from Kafka against in-memory batches; ResNet-50 CPU throughput. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark P2: training img/s fed from Kafka (an embedded broker, through the prefetcher)",
      "against in-memory batches of the same shape, in alternating blocks of one run (goal: a",
      "ratio of at least 0.95), for a small preset (the hardest case for the input path) and for",
      "ResNet-50 at 64 px, batch 32 (goal: at least 20 img/s on 2 cores); also the prefetcher's",
      "rate with nothing training."
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
      names = "--steps",
      defaultValue = "5",
      description = "Timed steps per feed and round (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--rounds",
      defaultValue = "12",
      description = "Rounds of memory then Kafka (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Untimed steps per feed before the rounds (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(
      names = "--resnet50-steps",
      defaultValue = "3",
      description =
          "Timed ResNet-50 steps per feed and round; 0 skips that comparison (default:"
              + " ${DEFAULT-VALUE}).")
  int resnet50Steps;

  @Option(
      names = "--resnet50-rounds",
      defaultValue = "4",
      description = "Rounds of the ResNet-50 comparison (default: ${DEFAULT-VALUE}).")
  int resnet50Rounds;

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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = Files.createTempDirectory("rotnet-bench-trainer");
    try (EmbeddedStack stack = EmbeddedStack.start(scratch.resolve("stack"))) {
      TrainerBenchResult result =
          TrainerBenchmark.builder()
              .setKafka(
                  new KafkaSettings(
                      stack.bootstrapServers(), stack.schemaRegistryUrl(), "rotnet-bench-trainer"))
              .optPreset(TrainingPresets.require(preset))
              .optEncoding(encoding)
              .optSteps(steps)
              .optRounds(rounds)
              .optWarmUpSteps(warmUp)
              .optResnet50Steps(resnet50Steps)
              .optResnet50Rounds(resnet50Rounds)
              .optResnet50Input(resnet50Size, resnet50Batch)
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
