package io.rotnet.app.bench;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.producer.bench.BenchImages;
import io.rotnet.producer.bench.ProducerBenchResult;
import io.rotnet.producer.bench.ProducerBenchmark;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.ImageSources;
import io.rotnet.schemas.avro.PixelEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmark P3: the producer's full path against decoding alone, on an embedded broker. */
@Command(
    name = "producer",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark P3: images/s of the producer's full path (decode, crop, flip, rotate, serialize,",
      "send to an embedded Kafka broker, acknowledged) against decoding alone, on the same files",
      "in one run, with 1 and 2 workers; also the transport alone, per-stage times and the",
      "decoders side by side.",
      "Without --images it generates photo-like 500x375 JPEGs (ImageNet's typical size)."
    })
public final class ProducerBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "PATH",
      description = "Image folder, IDX file or list file to measure on (default: generated JPEGs).")
  Path images;

  @Option(names = "--count", defaultValue = "300", description = "Images to use (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--size", defaultValue = "224", description = "Crop size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--encoding", defaultValue = "RAW_RGB8", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PixelEncoding encoding;

  @Option(names = "--compression", defaultValue = "lz4", description = "Producer compression (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--rounds", defaultValue = "3",
      description = "Alternating rounds of decode only, full path and send only, summed (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1");
    }
    Path scratch = Files.createTempDirectory("rotnet-bench-producer");
    try (EmbeddedStack stack = EmbeddedStack.start(scratch.resolve("stack"))) {
      ImageSource source =
          images != null
              ? ImageSources.open(images)
              : ImageSources.open(BenchImages.generate(scratch.resolve("images"), count, 500, 375, 1));
      ProducerBenchResult result =
          ProducerBenchmark.builder()
              .setSource(ImageSources.limit(source, count))
              .setBootstrapServers(stack.bootstrapServers())
              .setSchemaRegistryUrl(stack.schemaRegistryUrl())
              .optSize(size)
              .optEncoding(encoding)
              .optCompression(compression)
              .optRounds(rounds)
              .build()
              .run();
      spec.commandLine().getOut().print(result.report());
      spec.commandLine().getOut().flush();
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
