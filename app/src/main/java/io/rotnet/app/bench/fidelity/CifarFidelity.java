package io.rotnet.app.bench.fidelity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.evaluator.blocks.BlockBenchmark;
import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.evaluator.blocks.RotationAccuracy;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.ImageFolderDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.producer.ProducerSettings;
import io.rotnet.producer.RotNetProducer;
import io.rotnet.producer.augment.AugmentSettings;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.serde.AvroDeserializer;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.trainer.KafkaSettings;
import io.rotnet.trainer.RotNetTrainer;
import io.rotnet.trainer.StepReport;
import io.rotnet.trainer.TrainerSettings;
import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The RotNet paper's CIFAR-10 experiment through the whole pipeline, on an embedded broker: the
 * producer streams the pretext images in the {@code cifar} view, the trainer pretrains from Kafka
 * and announces checkpoints, and the final checkpoint, taken from its event and verified, is
 * evaluated beside a random initialisation of the same network (same preset seed, so the very
 * weights the trainer started from): rotation accuracy on the rotated test images, and the
 * per-block classifiers on frozen features. Every choice (the best block) is made on images held
 * out of {@code train/}, never on {@code test/}.
 */
public final class CifarFidelity {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final FidelitySettings settings;
  private final PrintWriter out;
  private final AtomicReference<StepReport> lastStep = new AtomicReference<>();
  private final long startedNanos = System.nanoTime();

  public CifarFidelity(FidelitySettings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs the experiment and returns its table. */
  public FidelityTable run() throws Exception {
    TrainingPreset preset = settings.preset();
    EvalDataset dataset = ImageFolderDataset.open("cifar10", settings.data());
    Splits splits = Splits.choose(dataset, settings.trainImages(), settings.validationImages(),
        settings.testImages(), settings.seed());
    Files.createDirectories(settings.workDir());
    Path list = splits.writeTrainList(settings.workDir().resolve("pretext-images.txt"), settings.data());
    say("data: %d pretext/classifier-train, %d held-out validation (from train/), %d test images; preset %s"
        + " (%s, %d epochs, batch %d rotated)", splits.train().size(), splits.validation().size(),
        splits.test().size(), preset.name(), preset.architecture(), preset.epochs(), preset.batchSize());

    VerifiedCheckpoint finalCheckpoint;
    Path checkpointRoot = settings.workDir().resolve("checkpoints");
    try (EmbeddedStack stack = EmbeddedStack.start(settings.workDir().resolve("kafka"))) {
      stack.createTopic(Topics.IMAGES, 1);
      stack.createTopic(Topics.CHECKPOINTS, 1);
      stack.createTopic(Topics.METRICS.name(), 1);
      RotNetProducer producer = RotNetProducer.open(ProducerSettings.builder()
          .setSource(list)
          .setBootstrapServers(stack.bootstrapServers())
          .setSchemaRegistryUrl(stack.schemaRegistryUrl())
          .optAugment(AugmentSettings.cifar(preset.inputSize()))
          .optEpochs(preset.epochs() + 1) // the last step's batch may reach into one more epoch
          .optSeed(settings.seed())
          .optWorkers(1)
          .build());
      Thread producerThread = daemon("fidelity-producer", () -> producer.run());
      // whole steps covering the preset's epochs; the trainer checkpoints when it stops
      long stepsTotal = ((long) preset.epochs() * splits.train().size() + preset.groupsPerBatch() - 1)
          / preset.groupsPerBatch();
      RotNetTrainer trainer = new RotNetTrainer(TrainerSettings.builder()
          .setRunId("fidelity")
          .setCheckpointRoot(checkpointRoot)
          .setPreset(preset)
          .setKafka(new KafkaSettings(stack.bootstrapServers(), stack.schemaRegistryUrl(), "rotnet-fidelity"))
          .optCheckpointEvery(1_000_000)
          .optMaxSteps(stepsTotal)
          .build()).addObserver(lastStep::set);
      AtomicReference<TrainingSummary> summary = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread trainerThread = new Thread(() -> {
        try {
          summary.set(trainer.run());
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "fidelity-trainer");
      trainerThread.start();
      while (!joined(trainerThread)) {
        StepReport step = lastStep.get();
        say("train: %s | producer %d images sent", step == null ? "waiting for the first batch"
            : String.format(Locale.ROOT, "step %d/%d, epoch %.2f, loss %.3f, batch rotation accuracy %.1f%%, lr %.4f",
                step.step(), stepsTotal, step.epochProgress(), step.result().loss(), 100 * step.result().accuracy(),
                step.result().learningRate()), producer.stats().snapshot().imagesSent());
      }
      producer.stop();
      producerThread.join(Duration.ofSeconds(60).toMillis());
      producer.close(); // its clients would otherwise keep calling the broker once it is gone
      if (failure.get() != null) {
        throw new IllegalStateException("trainer failed: " + failure.get().getMessage(), failure.get());
      }
      say("train: done, %d steps (%s)", summary.get().steps(), summary.get().stopReason());
      CheckpointEvent event = lastEvent(stack).orElseThrow(
          () -> new IllegalStateException("the trainer announced no checkpoint"));
      finalCheckpoint = new CheckpointReader(checkpointRoot).verify(event.getUri(), event.getSha256());
      say("checkpoint event: %s, step %d, epoch %d, verified (manifest sha256 %s)", event.getUri(),
          event.getStep(), event.getEpoch(), event.getSha256().substring(0, 12));
    }

    // the test view: the 32 px image as it is, normalized as the preset trained (CIFAR mean/std for the paper's)
    Preprocessing view = new Preprocessing(preset.inputSize(), preset.inputSize(), preset.normalization().mean(),
        preset.normalization().std());
    BlockProtocol protocol = BlockProtocol.cifarEpochs(settings.classifierEpochs()).withSeed(settings.seed());
    BlockBenchmark blocks = new BlockBenchmark(settings.heads(), protocol, view, settings.extractBatch(),
        line -> say("%s", line));
    FidelityTable.Column pretrained;
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded = new CheckpointReader(checkpointRoot)
          .load(finalCheckpoint.location(), preset.modelSpec(), finalCheckpoint.manifestSha256(), manager);
      pretrained = evaluate("pretrained", loaded.model(), manager, blocks, splits, view);
    }
    FidelityTable.Column random;
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed((int) preset.seed()); // as the trainer seeds its initialisation
      RotNetModel model = RotNetModel.newInitialized(preset.modelSpec(), manager);
      random = evaluate("random init", model, manager, blocks, splits, view);
    }
    return new FidelityTable(preset, splits.train().size(), splits.validation().size(), splits.test().size(),
        protocol, settings.heads(), pretrained, random, elapsed());
  }

  private FidelityTable.Column evaluate(String what, RotNetModel model, NDManager manager, BlockBenchmark blocks,
      Splits splits, Preprocessing view) {
    say("%s: rotation accuracy on the %d test images x 4 rotations", what, splits.test().size());
    double rotation = RotationAccuracy.measure(model, manager, splits.test().images(), view, settings.extractBatch(),
        line -> say("%s %s", what, line));
    say("%s: rotation accuracy %.2f%%", what, rotation);
    List<BlockBenchmark.Score> scores = blocks.run(model.backbone(), manager, splits.train(), splits.validation(),
        splits.test(), what);
    return new FidelityTable.Column(rotation, scores);
  }

  private static Optional<CheckpointEvent> lastEvent(EmbeddedStack stack) throws IOException {
    SchemaRegistryClient registry = stack.newRegistryClient();
    AvroDeserializer<CheckpointEvent> values = AvroSerdes.deserializer(Topics.CHECKPOINTS, registry);
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(Topics.CHECKPOINTS.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      CheckpointEvent last = null;
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          CheckpointEvent event = values.deserialize(record.topic(), record.value());
          if (last == null || event.getStep() >= last.getStep()) {
            last = event;
          }
        }
      }
      return Optional.ofNullable(last);
    }
  }

  private static boolean joined(Thread thread) {
    try {
      thread.join(PROGRESS_EVERY.toMillis());
      return !thread.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Thread daemon(String name, ThrowingRunnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        throw new IllegalStateException(name + " failed", e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private void say(String format, Object... args) {
    long s = elapsed().toSeconds();
    out.printf(Locale.ROOT, "[%02d:%02d:%02d] %s%n", s / 3600, s / 60 % 60, s % 60, String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** The three splits, each a seeded class-balanced choice. */
  record Splits(DatasetSplit train, DatasetSplit validation, DatasetSplit test) {

    static Splits choose(EvalDataset dataset, int trainImages, int validationImages, int testImages, long seed) {
      int classes = dataset.classCount();
      int[][] trainPicks = ClassBalanced.pick(dataset.train().labels(), classes, new int[] {trainImages, validationImages}, seed);
      int[] testPick = ClassBalanced.pick(dataset.test().labels(), classes, new int[] {testImages}, seed + 1)[0];
      return new Splits(dataset.train().subset(trainPicks[0]), dataset.train().subset(trainPicks[1]),
          dataset.test().subset(testPick));
    }

    /** The pretext images as a list file for the producer. */
    Path writeTrainList(Path file, Path root) throws IOException {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        lines.add(root.toAbsolutePath().resolve(train.images().describe(i)).toString());
      }
      Files.write(file, lines);
      return file;
    }
  }
}
