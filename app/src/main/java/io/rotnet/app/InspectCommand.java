package io.rotnet.app;

import io.rotnet.app.inspect.TopicInspector;
import io.rotnet.app.options.ServiceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the records of any project topic, decoded through the registry. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the records of any project topic, decoded through the registry, one line each",
      "(pixels and other bytes summarised). Starts at the end of the topic unless",
      "--from-beginning; stops after --limit records or when the topic stays quiet for",
      "--idle-timeout seconds, unless --follow. Moves no consumer-group offsets."
    })
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServiceOptions service;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. rotnet.images, rotnet.images.dlq, rotnet.checkpoints, rotnet.metrics, rotnet.eval-results")
  String topic;

  @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Stop after N records; 0 for no limit (default).")
  long limit;

  @Option(names = "--from-beginning", description = "Read the records already in the topic, not only new ones.")
  boolean fromBeginning;

  @Option(names = "--follow", description = "Keep waiting for records until Ctrl-C.")
  boolean follow;

  @Option(names = "--idle-timeout", defaultValue = "5", paramLabel = "SECONDS",
      description = "Without --follow, stop when no record came for this long (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--images-to", paramLabel = "DIR",
      description = "For RotatedImage topics: write every view as PNG, plus contact sheets (one row per sample, the four rotations in columns).")
  Path imagesTo;

  @Override
  public Integer call() {
    if (idleSeconds < 1) {
      throw new IllegalArgumentException("--idle-timeout must be at least 1 second");
    }
    TopicInspector inspector =
        TopicInspector.builder()
            .setBootstrapServers(service.bootstrapServers)
            .setSchemaRegistryUrl(service.schemaRegistryUrl)
            .setTopic(topic)
            .setOut(spec.commandLine().getOut())
            .optLimit(limit)
            .optFromBeginning(fromBeginning)
            .optFollow(follow)
            .optIdleTimeout(Duration.ofSeconds(idleSeconds))
            .optImagesTo(imagesTo)
            .build();
    // Ctrl-C ends the read; the JVM waits so the contact sheet is still written.
    try (StopOnSignal signal = StopOnSignal.install("rotnet-inspect", inspector::stop, Duration.ofSeconds(30))) {
      inspector.run();
    }
    return 0;
  }
}
