package io.rotnet.app.local;

import io.rotnet.dashboard.Dashboard;
import io.rotnet.dashboard.DashboardSettings;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.features.FeatureCache;
import io.rotnet.evaluator.linear.LinearPreset;
import io.rotnet.evaluator.results.ResultsTable;
import io.rotnet.evaluator.results.ResultsView;
import io.rotnet.evaluator.run.BenchmarkKind;
import io.rotnet.evaluator.run.BenchmarkRunner;
import io.rotnet.evaluator.run.BenchmarkSettings;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.service.EvaluatorService;
import io.rotnet.evaluator.service.EvaluatorServiceSettings;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.producer.ProducerSettings;
import io.rotnet.producer.RotNetProducer;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.ImageSources;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.RotNetTrainer;
import io.rotnet.trainer.StepReport;
import io.rotnet.trainer.TrainerSettings;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The whole pipeline in one process: an embedded broker and registry, the producer, the trainer
 * and one evaluator per benchmark, each on its own thread and talking only through Kafka, exactly
 * as the separate services do. Ends when training is done and every checkpoint has a result from
 * every benchmark, or when {@link #stop()} is called.
 */
public final class LocalPipeline {

  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofSeconds(2);

  private final LocalSettings settings;
  private final PrintWriter out;
  private final List<ServiceThread> services = new ArrayList<>();
  private final AtomicReference<StepReport> lastStep = new AtomicReference<>();
  private final AtomicReference<TrainingSummary> trainerSummary = new AtomicReference<>();
  private volatile boolean stopRequested;
  private RotNetProducer producer;
  private int dashboardPort = -1;
  private Dashboard dashboard;

  public LocalPipeline(LocalSettings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** Also serves the dashboard on 127.0.0.1 while the pipeline runs (port 0: any free port). */
  public LocalPipeline withDashboard(int port) {
    this.dashboardPort = port;
    return this;
  }

  /** Asks every service to stop; {@link #run()} then returns what was evaluated so far. */
  public void stop() {
    stopRequested = true;
  }

  /** Runs the pipeline to the end and returns the results of every checkpoint. */
  public LocalRun run() throws Exception {
    Files.createDirectories(settings.checkpointDir());
    TrainingPreset preset = TrainingPresets.require(settings.preset());
    Instant started = Instant.now();
    say("starting Kafka and the schema registry in %s", settings.kafkaDir());
    try (EmbeddedStack stack = EmbeddedStack.start(settings.kafkaDir())) {
      SchemaRegistryClient registry = stack.newRegistryClient();
      stack.createTopic(Topics.IMAGES, 1);
      stack.createTopic(Topics.CHECKPOINTS, Topics.CHECKPOINT_PARTITIONS);
      stack.createTopic(Topics.EVAL_RESULTS.name(), 1);
      stack.createTopic(Topics.METRICS.name(), 1);
      startDashboard(stack);
      try {
        startProducer(stack, preset);
        ServiceThread trainer = startTrainer(stack, preset);
        for (String benchmark : settings.benchmarks()) {
          startEvaluator(stack, registry, benchmark, preset);
        }
        TrainingSummary summary = awaitTraining(trainer);
        stopService("producer");
        long checkpoints = endOffset(stack, Topics.CHECKPOINTS.name());
        List<io.rotnet.schemas.avro.EvalResult> results =
            awaitResults(stack, registry, checkpoints * settings.benchmarks().size());
        return new LocalRun(settings, summary, checkpoints, results, Duration.between(started, Instant.now()));
      } finally {
        stopAll();
        closeDashboard();
      }
    }
  }

  /**
   * Produces as many epochs as the trainer's steps need, and no more: the producer is much faster
   * than CPU training and would otherwise fill the disk with crops nobody trains on.
   */
  private void startProducer(EmbeddedStack stack, TrainingPreset preset) throws InterruptedException {
    ImageSource source = ImageSources.open(settings.images());
    long cropsNeeded = settings.maxSteps() * preset.batchSize() / 4;
    int epochs = (int) Math.max(1, (cropsNeeded + source.size() - 1) / source.size());
    ProducerSettings producerSettings =
        ProducerSettings.builder()
            .setSource(settings.images())
            .setBootstrapServers(stack.bootstrapServers())
            .setSchemaRegistryUrl(stack.schemaRegistryUrl())
            .optSize(preset.inputSize())
            .optEpochs(epochs)
            .optSeed(settings.seed())
            .optWorkers(1)
            .build();
    producer = RotNetProducer.open(producerSettings, source);
    say("producer: %d images x %d epoch(s) from %s -> %s, %d px crops x 4 rotations",
        source.size(), epochs, settings.images(), Topics.IMAGES.name(), preset.inputSize());
    services.add(ServiceThread.start("producer", producer::run, producer::stop));
  }

  private ServiceThread startTrainer(EmbeddedStack stack, TrainingPreset preset) {
    TrainerSettings trainerSettings =
        TrainerSettings.builder()
            .setRunId("local")
            .setCheckpointRoot(settings.checkpointDir())
            .setPreset(preset)
            .setKafka(new KafkaSettings(stack.bootstrapServers(), stack.schemaRegistryUrl(), "rotnet-local"))
            .optMaxSteps(settings.maxSteps())
            .optCheckpointEvery(settings.checkpointEvery())
            .build();
    RotNetTrainer trainer = new RotNetTrainer(trainerSettings).addObserver(lastStep::set);
    say("trainer: preset %s, %d steps, a checkpoint every %d steps in %s",
        preset.name(), settings.maxSteps(), settings.checkpointEvery(), settings.checkpointDir());
    ServiceThread thread =
        ServiceThread.start("trainer", () -> trainerSummary.getAndSet(trainer.run()), trainer::requestStop);
    services.add(thread);
    return thread;
  }

  private void startEvaluator(EmbeddedStack stack, SchemaRegistryClient registry, String benchmark, TrainingPreset preset)
      throws IOException {
    BenchmarkKind kind = BenchmarkKind.parse(benchmark);
    EvalDataset data =
        DatasetSpec.parse(settings.dataset()).withLimits(settings.maxTrain(), settings.maxTest()).open();
    CheckpointEvaluator evaluator =
        CheckpointEvaluator.builder()
            .setReader(new CheckpointReader(settings.checkpointDir()))
            .setDataset(data)
            .setRunner(new BenchmarkRunner(demoSettings(kind)))
            .setCache(new FeatureCache(settings.featureCacheDir()))
            .optLinearPreset(kind.streamedLinear() ? demoLinearPreset(kind) : null)
            .optStateDir(settings.evaluatorStateDir(), 0)
            .build();
    EvaluatorService service =
        new EvaluatorService(
            EvaluatorServiceSettings.defaults(stack.bootstrapServers(), kind.label(), data.name()),
            evaluator,
            registry);
    say("evaluator: %s on %s (%d train / %d test images)", kind.label(), data.name(),
        data.train().size(), data.test().size());
    services.add(ServiceThread.start("evaluator-" + kind.label(), () -> {
      service.run();
      return null;
    }, service::close));
  }

  /**
   * The protocols with the demo's budget: the SVM cost grid cut to {0.1, 1, 10} and the linear
   * probes trained for 30 epochs, so that every checkpoint is evaluated while the next trains.
   */
  private static BenchmarkSettings demoSettings(BenchmarkKind kind) {
    BenchmarkSettings settings = BenchmarkSettings.defaults(kind).withCosts(new double[] {0.1, 1, 10});
    return kind.streamedLinear() ? settings : settings.withLinearEpochs(30);
  }

  /** linear-mhead / linear-avgpool asked for explicitly: the streamed protocol in its demo preset. */
  private static LinearPreset demoLinearPreset(BenchmarkKind kind) {
    return LinearPreset.require(kind == BenchmarkKind.LINEAR_AVGPOOL ? "demo-avgpool-6e" : "demo-mhead-6e");
  }

  private void startDashboard(EmbeddedStack stack) {
    if (dashboardPort < 0) {
      return;
    }
    try {
      dashboard = Dashboard.start(DashboardSettings.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl())
          .withAddress(DashboardSettings.DEFAULT_HOST, dashboardPort));
      say("dashboard: %s", dashboard.url());
    } catch (IOException e) {
      say("dashboard: cannot listen on %s:%d (%s); going on without it (--dashboard-port PORT)",
          DashboardSettings.DEFAULT_HOST, dashboardPort, e.getMessage());
    }
  }

  private void closeDashboard() {
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private TrainingSummary awaitTraining(ServiceThread trainer) throws InterruptedException {
    while (!trainer.join(POLL)) {
      failFast();
      if (stopRequested) {
        trainer.stopAndJoin(GRACE);
        break;
      }
      progress();
    }
    failFast();
    TrainingSummary summary = trainerSummary.get();
    if (summary != null) {
      say("trainer: done after %d steps (%s), epoch %.2f", summary.steps(), summary.stopReason(),
          summary.epochProgress());
    }
    return summary;
  }

  private List<io.rotnet.schemas.avro.EvalResult> awaitResults(
      EmbeddedStack stack, SchemaRegistryClient registry, long expected) throws Exception {
    say("waiting for %d result(s): %d checkpoint(s) x %d benchmark(s)", expected,
        expected / Math.max(1, settings.benchmarks().size()), settings.benchmarks().size());
    Instant deadline = Instant.now().plus(settings.evaluationTimeout());
    try (ResultsView view =
        ResultsView.start(stack.bootstrapServers(), registry, Topics.EVAL_RESULTS.name(),
            Topics.METRICS.name(), Duration.ofSeconds(60))) {
      long seen = -1;
      while (true) {
        view.awaitCaughtUp(Duration.ofSeconds(30));
        List<io.rotnet.schemas.avro.EvalResult> results = view.results();
        if (results.size() != seen) {
          seen = results.size();
          say("results: %d of %d", seen, expected);
        }
        if (seen >= expected || stopRequested) {
          return results;
        }
        failFast();
        if (Instant.now().isAfter(deadline)) {
          throw new TimeoutException("only " + seen + " of " + expected + " results after "
              + settings.evaluationTimeout().toSeconds() + " s");
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  private void progress() {
    StepReport step = lastStep.get();
    String training = step == null
        ? "waiting for the first batch"
        : String.format("step %d/%d epoch %.2f loss %.3f rotation acc %.1f%% lr %.4f",
            step.step(), settings.maxSteps(), step.epochProgress(), step.result().loss(),
            100 * step.result().accuracy(), step.result().learningRate());
    var produced = producer.stats().snapshot();
    say("trainer %s | producer %d images (%d refused)", training, produced.imagesSent(), produced.refused());
  }

  private void failFast() {
    for (ServiceThread service : services) {
      if (service.failure().isPresent()) {
        throw new IllegalStateException(service.name() + " failed: " + service.failure().get().getMessage(),
            service.failure().get());
      }
    }
  }

  private void stopService(String name) throws InterruptedException {
    for (ServiceThread service : services) {
      if (service.name().equals(name)) {
        service.stopAndJoin(GRACE);
      }
    }
  }

  private void stopAll() throws InterruptedException {
    for (ServiceThread service : services) {
      if (service.isRunning() && !service.stopAndJoin(GRACE)) {
        say("%s did not stop within %d s", service.name(), GRACE.toSeconds());
      }
    }
  }

  private static long endOffset(EmbeddedStack stack, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // every partition: a run's checkpoints land on the partition of its run id
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private void say(String format, Object... args) {
    out.printf("[local] " + format + "%n", args);
    out.flush();
  }

  /** The outcome of a local run: training, the checkpoints and every result. */
  public record LocalRun(
      LocalSettings settings,
      TrainingSummary training,
      long checkpoints,
      List<io.rotnet.schemas.avro.EvalResult> results,
      Duration elapsed) {

    public String table() {
      return new ResultsTable(results, List.of()).table();
    }
  }
}
