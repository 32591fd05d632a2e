package io.rotnet.app;

import io.rotnet.app.options.ServiceOptions;
import io.rotnet.producer.ProducerSettings;
import io.rotnet.producer.ProgressLine;
import io.rotnet.producer.RotNetProducer;
import io.rotnet.producer.RunSummary;
import io.rotnet.producer.decode.DecoderBackend;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.schemas.avro.PixelEncoding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Decodes, augments and rotates images into RotatedImage records on Kafka. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes, augments and rotates images into RotatedImage records on Kafka.",
      "Each image gets a RandomResizedCrop and a random horizontal flip, then goes out as four",
      "records (rotations 0/90/180/270 counter-clockwise, labels 0..3) under one key.",
      "Unusable files become dead letters on <topic>.dlq. SIGTERM or Ctrl-C stops after",
      "flushing: every acknowledged record is in the topic."
    })
public final class ProduceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Option(names = "--source", required = true, paramLabel = "PATH",
      description = "Image folder (recursive; first-level subfolders are labels), IDX file (.gz or not) or text file listing image paths.")
  Path source;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "IDX labels file, when not the sibling *-labels-idx1-* of the images file.")
  Path idxLabels;

  @Option(names = "--topic", defaultValue = "rotnet.images", description = "Image topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--size", defaultValue = "224", description = "Crop size in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--augment", defaultValue = "rotnet",
      description = "Crop: rotnet (RandomResizedCrop, the seed's config) or cifar (pad 4 and random crop, the RotNet paper's CIFAR view) (default: ${DEFAULT-VALUE}).")
  String augment;

  @Option(names = "--epochs", defaultValue = "1", description = "Passes over the source; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--workers", description = "Decode workers (default: the number of cores).")
  Integer workers;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the shuffles and augmentations (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--encoding", defaultValue = "RAW_RGB8",
      description = "Pixel encoding: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PixelEncoding encoding;

  @Option(names = "--jpeg-quality", defaultValue = "0.9", description = "Quality of JPEG-encoded views, 0-1 (default: ${DEFAULT-VALUE}).")
  float jpegQuality;

  @Option(names = "--partitions", defaultValue = "1", description = "Partitions when the topic is created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "IMAGES_PER_S", description = "Limit on source images per second; 0 for none (default).")
  double rate;

  @Option(names = "--max-pixels", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
      description = "Images whose header claims more pixels are refused (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--compression", defaultValue = "lz4", description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--decoder", defaultValue = "TWELVEMONKEYS", description = "Image readers: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DecoderBackend decoder;

  @Option(names = "--progress-every", defaultValue = "10", paramLabel = "SECONDS",
      description = "Seconds between progress lines when the output is not a terminal (default: ${DEFAULT-VALUE}).")
  int progressSeconds;

  @Override
  public Integer call() throws Exception {
    ProducerSettings.Builder builder =
        ProducerSettings.builder()
            .setSource(source)
            .setBootstrapServers(service.bootstrapServers)
            .setSchemaRegistryUrl(service.schemaRegistryUrl)
            .optIdxLabels(idxLabels)
            .optTopic(topic)
            .optAugment(io.rotnet.producer.augment.AugmentSettings.named(augment, size))
            .optEpochs(epochs)
            .optSeed(seed)
            .optEncoding(encoding)
            .optJpegQuality(jpegQuality)
            .optPartitions(partitions)
            .optImagesPerSecond(rate)
            .optMaxPixels(maxPixels)
            .optCompression(compression)
            .optDecoderBackend(decoder);
    if (workers != null) {
      builder.optWorkers(workers);
    }
    if (progressSeconds < 1) {
      throw new IllegalArgumentException("--progress-every must be at least 1 second");
    }
    ProducerSettings settings = builder.build();
    PrintWriter err = spec.commandLine().getErr();
    RotNetProducer producer = RotNetProducer.open(settings);
    ScheduledExecutorService progress = startProgress(producer, err);
    // SIGTERM stops taking images; the JVM exits once the flush is done and the summary printed.
    try (StopOnSignal signal = StopOnSignal.install("rotnet-produce", producer::stop, FLUSH_GRACE)) {
      RunSummary summary;
      try (producer) {
        summary = producer.run();
      } finally {
        progress.shutdownNow();
      }
      if (System.console() != null) {
        err.println();
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "produced %d image(s) as %d acknowledged record(s) to %s, %d refused (see %s), %d epoch(s) complete%s%n",
          summary.imagesSent(),
          summary.recordsAcked(),
          settings.topic(),
          summary.refused(),
          settings.deadLetterTopic(),
          summary.completedEpochs(),
          summary.stoppedEarly() ? ", stopped" : "");
      out.flush();
    }
    return 0;
  }

  /** A bar redrawn every second on a terminal, else a log line every few seconds. */
  private ScheduledExecutorService startProgress(RotNetProducer producer, PrintWriter err) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "rotnet-produce-progress");
              thread.setDaemon(true);
              return thread;
            });
    ProgressLine line = new ProgressLine(producer.settings().epochs());
    boolean terminal = System.console() != null;
    long period = terminal ? 1 : progressSeconds;
    timer.scheduleAtFixedRate(
        () -> {
          if (terminal) {
            err.print("\r" + line.bar(producer.stats().snapshot()));
          } else {
            err.println(line.logLine(producer.stats().snapshot()));
          }
          err.flush();
        },
        period,
        period,
        TimeUnit.SECONDS);
    return timer;
  }

  /** How long a stopped producer may take to flush before the JVM goes anyway. */
  static final Duration FLUSH_GRACE = Duration.ofSeconds(60);
}
