package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rotnet.app.ComposeFile.Service;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.evaluator.plugin.BenchmarkPlugins;
import io.rotnet.evaluator.results.ResultsView;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docker-compose.yml checked without Docker. For each profile the file is read and interpolated
 * as compose does; every service built from this repository's Dockerfile has its command parsed by
 * the real command line, and the settings that must agree across services are compared (crop
 * size and epochs of producer and trainer against the trainer's preset, restart policies, grace
 * periods, limits, run ids). The CPU profile then runs every such service's command in-process
 * against the embedded broker and registry, with the file's volumes mapped to directories: the
 * producer produces, the trainer writes a checkpoint, each evaluator publishes a result for it.
 *
 * <p>What the test adds to a command only bounds it: {@code --max-steps 2} (trainer),
 * {@code --epochs 1} (producer), smaller evaluation sets and budgets (evaluators), and the
 * broker and registry addresses the services' environment sets in compose.
 */
class ComposeServicesTest {

  private static final Path COMPOSE = Path.of("../docker-compose.yml");
  private static final Duration DEADLINE = Duration.ofSeconds(150);
  private static final Pattern HEAP_PERCENT = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)");

  /** What each subcommand gets appended to end in a few seconds; nothing else is changed. */
  private static final Map<String, List<String>> BOUNDS = Map.of(
      "produce", List.of("--epochs", "1"),
      "train", List.of("--max-steps", "2"),
      "evaluate", List.of("--max-train", "200", "--max-test", "50", "--epochs", "2",
          "--costs", "1", "--shots", "1,2", "--samples", "1"));

  @Test
  void theCpuProfileRunsAsWritten(@TempDir Path volumes) throws Exception {
    ComposeFile compose = ComposeFile.read(COMPOSE, Map.of());
    assertThat(compose.activeProfiles()).as(".env's COMPOSE_PROFILES").containsExactly("cpu");
    Map<String, Service> services = compose.services();
    checkStatically(services, TrainingPresets.TINY_CPU);
    run(compose, services, volumes);
  }

  @Test
  void theGpuProfileFeedsTheGpuPreset() throws Exception {
    ComposeFile compose = ComposeFile.read(COMPOSE, Map.of("COMPOSE_PROFILES", "gpu"));
    Map<String, Service> services = compose.services();
    checkStatically(services, TrainingPresets.RESNET50_STEPLR_70E);
    Service trainer = only(services, "train");
    assertThat(option(trainer.command(), "--devices")).as("trainer-gpu names its devices").startsWith("gpu");
    assertThat(trainer.string("image")).isEqualTo("rotnet-stream:gpu");
    @SuppressWarnings("unchecked")
    List<String> health = (List<String>) ((Map<String, Object>) trainer.definition().get("healthcheck")).get("test");
    List<String> doctor = health.subList(health.indexOf("/opt/rotnet/rotnet.jar") + 1, health.size());
    assertThat(doctor).startsWith("doctor").contains("--require-gpu");
    parse(doctor);
  }

  @Test
  void theDenseProfileAddsFineTuningEvaluatorsUnderTheSameRules() throws Exception {
    ComposeFile compose = ComposeFile.read(COMPOSE, Map.of("COMPOSE_PROFILES", "cpu,dense"));
    Map<String, Service> services = compose.services();
    checkStatically(services, TrainingPresets.TINY_CPU);
    Set<String> cpuOnly = ComposeFile.read(COMPOSE, Map.of()).services().keySet();
    List<Service> dense = services.values().stream().filter(s -> !cpuOnly.contains(s.name())).toList();
    assertThat(dense).as("services only the dense profile adds").isNotEmpty();
    for (Service service : dense) {
      String benchmark = option(service.command(), "--benchmark");
      assertThat(BenchmarkPlugins.find(benchmark)).as(service.name() + ": plug-in " + benchmark).isPresent();
      assertThat(option(service.command(), "--work-dir")).as(service.name() + " keeps its fine-tune state")
          .isEqualTo("/var/lib/rotnet/work");
    }
  }

  @Test
  void theProfilesTrainUnderTheirOwnRunIds() throws Exception {
    String cpu = option(only(ComposeFile.read(COMPOSE, Map.of()).services(), "train").command(), "--run-id");
    String gpu = option(only(ComposeFile.read(COMPOSE, Map.of("COMPOSE_PROFILES", "gpu")).services(), "train")
        .command(), "--run-id");
    assertThat(cpu).isNotEqualTo(gpu);
  }

  @Test
  void everyVariableTheFileReadsIsInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    Set<String> missing = new TreeSet<>();
    for (String variable : ComposeFile.read(COMPOSE, Map.of()).variables()) {
      if (!readme.contains("`" + variable + "`")) {
        missing.add(variable);
      }
    }
    assertThat(missing).as("variables of docker-compose.yml the README does not name").isEmpty();
  }

  /** What must agree between the services of one profile, read from the parsed commands. */
  private static void checkStatically(Map<String, Service> services, TrainingPreset expected) throws Exception {
    Service producer = only(services, "produce");
    Service trainer = only(services, "train");
    TrainCommand train = parse(trainer.command()).getSubcommands().get("train").getCommand();
    TrainingPreset preset = train.preset();
    assertThat(preset.name()).as(trainer.name() + " preset").isEqualTo(expected.name());
    ProduceArgs produced = ProduceArgs.of(parse(producer.command()));
    assertThat(produced.size).as(producer.name() + " --size vs " + trainer.name() + "'s preset")
        .isEqualTo(preset.inputSize()).isEqualTo(expected.inputSize());
    assertThat(produced.epochs).as(producer.name() + " --epochs vs " + trainer.name() + "'s preset")
        .isEqualTo(preset.epochs()).isEqualTo(expected.epochs());
    assertThat(produced.topic).isEqualTo(train.topic);
    assertThat(topicCreation(services, produced.topic)).as("creation of " + produced.topic)
        .containsKey("retention.bytes").containsKey("retention.ms");

    for (Service service : services.values()) {
      String name = service.name();
      assertThat(service.definition()).as(name + " limits").containsKeys("cpus", "mem_limit");
      if (!service.isRotnet()) {
        continue;
      }
      String subcommand = subcommand(service);
      parse(service.command());
      boolean finishes = subcommand.equals("produce") || subcommand.equals("train");
      assertThat(service.string("restart")).as(name + " restart")
          .isEqualTo(finishes ? "on-failure" : "unless-stopped");
      if (finishes || subcommand.equals("evaluate")) {
        assertThat(seconds(service.string("stop_grace_period"))).as(name + " stop_grace_period")
            .isGreaterThanOrEqualTo(subcommand.equals("train") ? 300 : 60);
      }
      Matcher heap = HEAP_PERCENT.matcher(service.environment().getOrDefault("JAVA_TOOL_OPTIONS", ""));
      assertThat(heap.find()).as(name + " sets its heap share of the memory limit").isTrue();
      assertThat(Integer.parseInt(heap.group(1))).as(name + " heap percent").isBetween(10, 75);
      if (subcommand.equals("evaluate")) {
        assertThat(service.command()).as(name).contains("--latest-only");
      }
    }
  }

  private void run(ComposeFile compose, Map<String, Service> services, Path volumes) throws Exception {
    String dockerfile = Files.readString(compose.directory().resolve("Dockerfile"));
    assertThat(dockerfile).as("the image's bundled data").contains("COPY data /opt/rotnet/data");
    List<ServiceRun> runs = new ArrayList<>();
    try (EmbeddedStack stack = EmbeddedStack.startTemporary()) {
      for (Service service : services.values()) {
        if (!service.isRotnet() && String.join(" ", service.command()).contains("kafka-topics.sh")) {
          createTopics(stack, service);
        }
      }
      // Created by the broker on first use in compose (auto.create.topics.enable): made here so
      // the results view can start before the first result.
      stack.createTopic(Topics.EVAL_RESULTS.name(), 1);
      stack.createTopic(Topics.METRICS.name(), 1);
      for (Service service : services.values()) {
        if (service.isRotnet()) {
          runs.add(ServiceRun.start(service, commandLine(compose, service, stack, volumes)));
        }
      }
      try {
        awaitPipeline(stack, runs, volumes);
      } finally {
        for (ServiceRun run : runs) {
          run.stop();
        }
      }
    }
  }

  private static void awaitPipeline(EmbeddedStack stack, List<ServiceRun> runs, Path volumes) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    ServiceRun trainer = runs.stream().filter(r -> r.subcommand.equals("train")).findFirst().orElseThrow();
    String runId = option(trainer.args, "--run-id");
    String checkpoint = runId + "-step-2";
    Map<String, String> expected = new LinkedHashMap<>();
    for (ServiceRun run : runs) {
      if (run.subcommand.equals("evaluate")) {
        expected.put(run.service, option(run.args, "--benchmark"));
      }
    }
    try (ResultsView view = ResultsView.start(stack.bootstrapServers(), stack.newRegistryClient(),
        Topics.EVAL_RESULTS.name(), Topics.METRICS.name(), Duration.ofSeconds(30))) {
      while (true) {
        for (ServiceRun run : runs) {
          Integer code = run.exitCode.get();
          if (code != null && code != 0) {
            fail(run.service + " exited " + code + ":\n" + run.output());
          }
        }
        view.awaitCaughtUp(Duration.ofSeconds(10));
        Set<String> benchmarks = view.results().stream()
            .filter(result -> result.getCheckpointId().equals(checkpoint))
            .map(EvalResult::getBenchmark)
            .collect(Collectors.toSet());
        if (trainer.exitCode.get() != null && benchmarks.containsAll(expected.values())) {
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          StringBuilder report = new StringBuilder("after " + DEADLINE.toSeconds() + " s: results for "
              + checkpoint + " from " + benchmarks + ", expected " + expected.values());
          runs.forEach(run -> report.append("\n--- ").append(run.service).append(":\n").append(run.output()));
          fail(report.toString());
        }
        Thread.sleep(500);
      }
    }
    assertThat(trainer.output()).as("trainer summary").contains("stopped (MAX_STEPS) at step 2", " 0 records refused");
    assertThat(endOffset(stack, option(trainer.args, "--topic"))).as("records produced").isPositive();
    assertThat(Files.isDirectory(Path.of(option(trainer.args, "--checkpoint-dir"), runId, "step-2")))
        .as("the trainer's checkpoint in the checkpoints volume").isTrue();
    for (ServiceRun run : runs) {
      if (!Set.of("produce", "train", "evaluate").contains(run.subcommand)) {
        // A service of another kind: still up, or done without an error, at the end.
        assertThat(run.exitCode.get()).as(run.service + ":\n" + run.output()).isIn(null, 0);
      }
    }
  }

  /** The service's command with container paths mapped to directories, plus addresses and bounds. */
  private static List<String> commandLine(ComposeFile compose, Service service, EmbeddedStack stack, Path volumes)
      throws Exception {
    Map<String, Path> mounts = new HashMap<>();
    mounts.put("/opt/rotnet/data", compose.directory().resolve("data"));
    for (String[] volume : service.volumes()) {
      String source = volume[0];
      Path host = source.startsWith(".") || source.startsWith("/")
          ? compose.directory().resolve(source).normalize()
          : volumes.resolve(source);
      Files.createDirectories(host);
      mounts.put(volume[1], host);
    }
    List<String> containerPaths = new ArrayList<>(mounts.keySet());
    containerPaths.sort(Comparator.comparingInt(String::length).reversed());
    List<String> args = new ArrayList<>();
    for (String arg : service.command()) {
      for (String path : containerPaths) {
        arg = arg.replaceAll("(^|[:=])" + Pattern.quote(path) + "(?=/|$)",
            "$1" + Matcher.quoteReplacement(mounts.get(path).toString()));
      }
      args.add(arg);
    }
    Map<String, String> environment = service.environment();
    assertThat(environment).as(service.name() + " environment")
        .containsEntry("ROTNET_BOOTSTRAP_SERVERS", "kafka:19092")
        .containsEntry("ROTNET_SCHEMA_REGISTRY_URL", "http://schema-registry:8081");
    args.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(),
        "--schema-registry-url", stack.schemaRegistryUrl()));
    args.addAll(BOUNDS.getOrDefault(args.get(0), List.of()));
    return args;
  }

  /** Runs what a non-rotnet service's kafka-topics.sh --create does, with its --config values. */
  private static void createTopics(EmbeddedStack stack, Service service) {
    List<String> words = ComposeFile.words(String.join(" ", service.command()));
    String topic = option(words, "--topic");
    stack.createTopic(topic, Integer.parseInt(option(words, "--partitions")), configs(words));
  }

  private static Map<String, String> topicCreation(Map<String, Service> services, String topic) {
    for (Service service : services.values()) {
      List<String> words = ComposeFile.words(String.join(" ", service.command()));
      if (words.contains("kafka-topics.sh") || words.stream().anyMatch(w -> w.endsWith("/kafka-topics.sh"))) {
        if (topic.equals(option(words, "--topic")) && words.contains("--create")) {
          return configs(words);
        }
      }
    }
    return Map.of();
  }

  private static Map<String, String> configs(List<String> words) {
    Map<String, String> configs = new HashMap<>();
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("--config")) {
        String[] kv = words.get(i + 1).split("=", 2);
        configs.put(kv[0], kv[1]);
      }
    }
    return configs;
  }

  private static Service only(Map<String, Service> services, String subcommand) {
    List<Service> matching = services.values().stream()
        .filter(Service::isRotnet)
        .filter(s -> subcommand(s).equals(subcommand))
        .toList();
    assertThat(matching).as("services running " + subcommand).hasSize(1);
    return matching.get(0);
  }

  private static String subcommand(Service service) {
    List<String> command = service.command();
    assertThat(command).as(service.name() + " command").isNotEmpty();
    return command.get(0);
  }

  /** Parses a command line as the rotnet image's entry point would; a bad flag fails here. */
  private static CommandLine parse(List<String> args) {
    String[] array = args.toArray(new String[0]);
    CommandLine commandLine = RotnetCommand.commandLine(array);
    commandLine.parseArgs(array);
    return commandLine;
  }

  private static String option(List<String> args, String name) {
    int at = args.lastIndexOf(name);
    assertThat(at).as(name + " in " + args).isNotNegative();
    return args.get(at + 1);
  }

  private static long seconds(String duration) {
    assertThat(duration).as("duration").isNotNull().matches("\\d+[sm]");
    long value = Long.parseLong(duration.substring(0, duration.length() - 1));
    return duration.endsWith("m") ? value * 60 : value;
  }

  private static long endOffset(EmbeddedStack stack, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  /** The producer's crop size, epochs and topic as its command sets them. */
  private record ProduceArgs(int size, int epochs, String topic) {
    static ProduceArgs of(CommandLine parsed) {
      CommandLine produce = parsed.getSubcommands().get("produce");
      return new ProduceArgs(
          produce.getCommandSpec().findOption("--size").getValue(),
          produce.getCommandSpec().findOption("--epochs").getValue(),
          produce.getCommandSpec().findOption("--topic").getValue());
    }
  }

  /** One service's command running on its own thread, as its container would. */
  private static final class ServiceRun {
    final String service;
    final String subcommand;
    final List<String> args;
    final AtomicReference<Integer> exitCode = new AtomicReference<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    Thread thread;

    private ServiceRun(String service, List<String> args) {
      this.service = service;
      this.subcommand = args.get(0);
      this.args = args;
    }

    static ServiceRun start(Service service, List<String> args) {
      ServiceRun run = new ServiceRun(service.name(), args);
      String[] array = args.toArray(new String[0]);
      CommandLine commandLine = RotnetCommand.commandLine(array);
      // The bounds are appended after the compose file's own values and replace them.
      commandLine.setOverwrittenOptionsAllowed(true);
      commandLine.setOut(new PrintWriter(run.out, true));
      commandLine.setErr(new PrintWriter(run.err, true));
      run.thread = new Thread(() -> run.exitCode.set(commandLine.execute(array)), "compose-" + service.name());
      run.thread.setDaemon(true);
      run.thread.start();
      return run;
    }

    /** What SIGTERM does in a container, in-process: long-running services are interrupted. */
    void stop() throws InterruptedException {
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    }

    String output() {
      return String.join(" ", args) + "\n" + out + err;
    }
  }
}
