package io.rotnet.trainer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.model.GradMode;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import io.rotnet.trainer.TrainingSummary.StopReason;
import io.rotnet.trainer.checkpoint.CheckpointEvents;
import io.rotnet.trainer.checkpoint.ResumePoint;
import io.rotnet.trainer.checkpoint.RetentionPolicy;
import io.rotnet.trainer.checkpoint.RunCheckpoints;
import io.rotnet.trainer.checkpoint.TrainerState;
import io.rotnet.trainer.devices.EngineDevices;
import io.rotnet.trainer.input.BatchPrefetcher;
import io.rotnet.trainer.input.HostBatch;
import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.metrics.MetricsPublisher;
import io.rotnet.trainer.metrics.StepMeter;
import io.rotnet.trainer.optim.MomentumSgd;
import io.rotnet.trainer.precision.LossScaler;
import io.rotnet.trainer.precision.Precision;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service: resumes the run from its newest valid checkpoint (model, optimizer, step,
 * stream position) or starts it fresh, trains on batches prefetched from the image topic,
 * checkpoints every N steps and at epoch boundaries, announces each checkpoint on the checkpoint
 * topic and reports metrics. {@link #requestStop()} finishes the current step, checkpoints and
 * returns; an exception ends the run without a checkpoint, like a crash.
 */
public final class RotNetTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(RotNetTrainer.class);
  private static final String SERVICE = "trainer";
  private static final Duration POLL = Duration.ofMillis(200);

  private final TrainerSettings settings;
  private final List<StepObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean stopRequested;

  public RotNetTrainer(TrainerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Adds an observer called after every step. */
  public RotNetTrainer addObserver(StepObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
    return this;
  }

  /** Finish the current step, write a checkpoint, announce it and return from {@link #run()}. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Trains until the preset's epochs, {@code maxSteps} or a stop request. */
  public TrainingSummary run() throws IOException, InterruptedException {
    GradMode.disableOnThisThread();
    EngineDevices.current().enableCudnnBenchmarkFor(settings.devices());
    KafkaSettings kafka = settings.kafka();
    SchemaRegistryClient registry = new SchemaRegistryClient(kafka.schemaRegistryUrl());
    TrainingPreset preset = settings.preset();
    ModelSpec spec = preset.modelSpec();
    try (KafkaProducer<String, DeadLetter> deadLetters =
            DeadLetters.newProducer(kafka.producerConfig("dead-letters"), registry);
        KafkaProducer<String, CheckpointEvent> eventProducer =
            new KafkaProducer<>(
                kafka.producerConfig("checkpoints"),
                new StringSerializer(),
                AvroSerdes.serializer(Topics.CHECKPOINTS, registry));
        KafkaProducer<String, TrainingMetrics> metricsProducer =
            new KafkaProducer<>(
                kafka.producerConfig("metrics"),
                new StringSerializer(),
                AvroSerdes.serializer(Topics.METRICS, registry));
        Model model =
            Model.newInstance("rotnet-" + settings.runId(), settings.devices().get(0), "PyTorch")) {
      // Same seed, same initial weights: runs are repeatable and a resumed run matches.
      Engine.getInstance().setRandomSeed((int) preset.seed());
      RotNetModel net = RotNetModel.newInitialized(spec, model.getNDManager());
      model.setBlock(net);
      RunCheckpoints checkpoints = new RunCheckpoints(settings.checkpointRoot(), settings.runId());
      Optional<ResumePoint> resume = checkpoints.resume(net, model.getNDManager());

      DeadLetterRouter<RotatedImage> router =
          DeadLetterRouter.builder(Topics.IMAGES.named(settings.topic()), registry)
              .setProducer(deadLetters)
              .setService(SERVICE)
              // acknowledged in bulk before each checkpoint, the trainer's only commit point
              .optDeferredAcknowledgements(true)
              .build();
      CheckpointEvents events =
          new CheckpointEvents(eventProducer, Topics.CHECKPOINTS.name(), settings.eventAckTimeout());
      if (resume.isPresent()) {
        announceIfMissing(resume.get(), spec, events, registry);
      }
      Loop loop =
          new Loop(
              net,
              spec,
              checkpoints,
              events,
              new MetricsPublisher(metricsProducer, Topics.METRICS.name()),
              resume);
      try (NDManager optimizerState = model.getNDManager().newSubManager();
          MomentumSgd sgd =
              MomentumSgd.builder()
                  .setParameters(net.getParameters())
                  .setStateManager(optimizerState)
                  .optMomentum(preset.momentum())
                  .optWeightDecay(preset.weightDecay())
                  .optNesterov(preset.nesterov())
                  .build()) {
        resume.ifPresent(point -> sgd.restore(point.momentum()));
        TrainingStep.Builder step =
            TrainingStep.builder()
                .setModel(model)
                .setOptimizer(sgd)
                .optDevices(settings.devices())
                .optPartSize(preset.partSize())
                .optPrecision(preset.precision());
        lossScaler(preset.precision(), resume).ifPresent(step::optLossScaler);
        try (TrainingStep stepper = step.build();
            BatchPrefetcher source = newPrefetcher(router, loop.position).start()) {
          return loop.run(stepper, sgd, source);
        }
      }
    }
  }

  /**
   * The fp16 loss scaler, continuing from the checkpoint's when it has one (a checkpoint of another
   * precision restores weights and momentum alone: they are float32 in every precision).
   */
  /**
   * Announces the checkpoint the run resumes from when its event never reached the topic (the
   * trainer stopped between the rename and the acknowledgement), so every checkpoint has exactly
   * one event.
   */
  private void announceIfMissing(
      ResumePoint resumed, ModelSpec spec, CheckpointEvents events, SchemaRegistryClient registry)
      throws InterruptedException {
    CheckpointEvent event = CheckpointEvents.event(settings.runId(), resumed, spec, Instant.now());
    try (KafkaConsumer<String, CheckpointEvent> reader =
        new KafkaConsumer<>(
            settings.kafka().readerConfig("checkpoint-check"),
            new StringDeserializer(),
            AvroSerdes.deserializer(Topics.CHECKPOINTS, registry))) {
      if (CheckpointEvents.announced(
          reader, Topics.CHECKPOINTS.name(), event.getCheckpointId(), settings.eventAckTimeout())) {
        return;
      }
    }
    events.publish(event);
    LOG.info(
        "checkpoint {} was written but never announced (the trainer stopped in between): announced now",
        resumed.location());
  }

  private Optional<LossScaler> lossScaler(Precision precision, Optional<ResumePoint> resume) {
    if (!precision.needsLossScaling()) {
      return Optional.empty();
    }
    LossScaler scaler = settings.lossScaling().newScaler();
    resume.flatMap(point -> point.state().lossScaler()).ifPresent(scaler::restore);
    return Optional.of(scaler);
  }

  private BatchPrefetcher newPrefetcher(
      DeadLetterRouter<RotatedImage> router, StreamPosition from) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            settings.kafka().consumerConfig(settings.consumerGroup()),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    return BatchPrefetcher.builder()
        .setConsumer(consumer)
        .setTopic(settings.topic())
        .setRouter(router)
        .setGroupsPerBatch(settings.preset().groupsPerBatch())
        .setInputSize(settings.preset().inputSize())
        .optNormalization(settings.preset().normalization())
        .optStartPosition(from)
        .optQueueDepth(settings.prefetchDepth())
        .optMaxGroupSpan(settings.maxGroupSpan())
        .build();
  }

  /** The step loop and the state it carries between steps. */
  private final class Loop {
    private final RotNetModel net;
    private final ModelSpec spec;
    private final RunCheckpoints checkpoints;
    private final CheckpointEvents events;
    private final MetricsPublisher metrics;
    private final LearningRateSchedule schedule;
    private final RetentionPolicy retention;
    private long step;
    private long imagesSeen;
    private double progress;
    private StreamPosition position;
    private long checkpointedStep = -1;
    private String lastCheckpoint;
    private double recentLoss = Double.NaN;
    private double recentAccuracy = Double.NaN;
    private StepResult latest;

    Loop(
        RotNetModel net,
        ModelSpec spec,
        RunCheckpoints checkpoints,
        CheckpointEvents events,
        MetricsPublisher metrics,
        Optional<ResumePoint> resume) {
      this.net = net;
      this.spec = spec;
      this.checkpoints = checkpoints;
      this.events = events;
      this.metrics = metrics;
      this.schedule = LearningRateSchedule.of(settings.preset());
      this.retention =
          new RetentionPolicy(settings.preset().keepLast(), settings.preset().keepEveryEpochs());
      this.position = StreamPosition.beginning();
      resume.ifPresent(
          point -> {
            TrainerState state = point.state();
            step = state.step();
            imagesSeen = state.imagesSeen();
            progress = state.epochProgress();
            position = state.position();
            recentLoss = state.loss();
            recentAccuracy = state.accuracy();
            checkpointedStep = step;
            if (state.precision() != settings.preset().precision()) {
              LOG.info(
                  "run {} trained in {} so far and goes on in {}",
                  settings.runId(),
                  state.precision().label(),
                  settings.preset().precision().label());
            }
            lastCheckpoint = point.location();
            LOG.info(
                "run {} resumes from {} at step {} (epoch {}, {} images seen)",
                settings.runId(),
                point.location(),
                step,
                String.format("%.3f", progress),
                imagesSeen);
          });
      if (resume.isEmpty()) {
        LOG.info(
            "run {} starts fresh with preset {} in {} on {}",
            settings.runId(),
            settings.preset().name(),
            settings.preset().precision().label(),
            settings.devices());
      }
      if (settings.preset().precision().isSlowOn(settings.devices().get(0))) {
        LOG.warn(
            "{} on {} runs far slower than fp32: the CPU has no half-precision units; the option"
                + " is meant for GPUs",
            settings.preset().precision().label(),
            settings.devices().get(0));
      }
    }

    TrainingSummary run(TrainingStep stepper, MomentumSgd sgd, BatchPrefetcher source)
        throws IOException, InterruptedException {
      StepMeter meter = new StepMeter(System.nanoTime());
      StopReason reason;
      while (true) {
        if (stopRequested) {
          reason = StopReason.STOP_REQUESTED;
          break;
        }
        if (settings.maxSteps() > 0 && step >= settings.maxSteps()) {
          reason = StopReason.MAX_STEPS;
          break;
        }
        Optional<HostBatch> next = source.next(POLL);
        if (next.isEmpty()) {
          continue;
        }
        HostBatch batch = next.get();
        if (batch.startProgress() >= settings.preset().epochs()) {
          batch.release();
          reason = StopReason.EPOCHS_DONE;
          break;
        }
        double learningRate = schedule.at(batch.startProgress());
        StepResult result;
        try {
          result = stepper.run(batch, learningRate);
        } finally {
          batch.release();
        }
        latest = result;
        double before = progress;
        step++;
        imagesSeen += batch.size();
        progress = Math.max(progress, batch.endProgress());
        position = batch.position();
        meter.add(result.loss(), result.correct(), result.images());
        if (result.skipped()) {
          LossScaler scaler = stepper.lossScaler().orElseThrow();
          LOG.info(
              "step {} skipped: its gradients overflowed fp16; loss scale lowered to {} ({} steps"
                  + " skipped so far)",
              step,
              scaler.scale(),
              scaler.skippedSteps());
        }
        StepReport report = new StepReport(step, progress, result, batch.sampleIds());
        for (StepObserver observer : observers) {
          observer.onStep(report);
        }
        if (step % settings.metricsEvery() == 0) {
          report(meter.roll(System.nanoTime()), result.learningRate(), source, stepper);
        }
        boolean boundary = Math.floor(progress) > Math.floor(before);
        if (step % settings.checkpointEvery() == 0 || boundary) {
          checkpoint(
              sgd,
              stepper,
              source,
              boundary ? OptionalInt.of((int) Math.floor(progress)) : OptionalInt.empty());
        }
        if (progress >= settings.preset().epochs()) {
          reason = StopReason.EPOCHS_DONE; // the last crop of the last epoch is trained
          break;
        }
      }
      if (step > 0 && checkpointedStep != step) {
        checkpoint(sgd, stepper, source, OptionalInt.empty());
      }
      LOG.info(
          "run {} stopped ({}) at step {}, epoch {}",
          settings.runId(),
          reason,
          step,
          String.format("%.3f", progress));
      return new TrainingSummary(
          settings.runId(),
          step,
          imagesSeen,
          progress,
          Optional.ofNullable(lastCheckpoint),
          reason,
          source.recordsRefused(),
          stepper.lossScaler().map(LossScaler::skippedSteps).orElse(0L));
    }

    private void report(
        StepMeter.Window window,
        double learningRate,
        BatchPrefetcher source,
        TrainingStep stepper) {
      recentLoss = window.loss();
      recentAccuracy = window.accuracy();
      metrics.publish(
          TrainingMetrics.newBuilder()
              .setRunId(settings.runId())
              .setStep(step)
              .setEpoch((int) Math.floor(progress))
              .setLoss(window.loss())
              .setRotationAccuracy(window.accuracy())
              .setLearningRate(learningRate)
              .setImagesPerSecond(window.imagesPerSecond())
              .setImagesSeen(imagesSeen)
              .setRecordedAt(Instant.now())
              .build());
      String scaling =
          stepper
              .lossScaler()
              .map(s -> String.format("  skipped %d  scale %.0f", s.skippedSteps(), s.scale()))
              .orElse("");
      LOG.info(
          String.format(
              "step %d  epoch %.3f  loss %.4f  acc %.1f%%  lr %.5f  %.1f img/s  seen %d  refused"
                  + " %d%s",
              step,
              progress,
              window.loss(),
              100 * window.accuracy(),
              learningRate,
              window.imagesPerSecond(),
              imagesSeen,
              source.recordsRefused(),
              scaling));
    }

    private void checkpoint(
        MomentumSgd sgd, TrainingStep stepper, BatchPrefetcher source, OptionalInt epochBoundary)
        throws IOException, InterruptedException {
      if (Double.isNaN(recentLoss) && latest != null) {
        // Before the first metrics report, a checkpoint carries the latest step's figures.
        recentLoss = latest.loss();
        recentAccuracy = latest.accuracy();
      }
      TrainerState state =
          new TrainerState(
              step,
              imagesSeen,
              progress,
              position,
              epochBoundary,
              settings.preset().name(),
              recentLoss,
              recentAccuracy,
              stepper.precision(),
              stepper.lossScaler().map(LossScaler::state));
      source.awaitDeadLetters(); // the checkpoint's offsets pass the records they came from
      WrittenCheckpoint written = checkpoints.write(net, spec, state, sgd.state());
      CheckpointEvent event =
          CheckpointEvents.event(settings.runId(), written, spec, state, Instant.now());
      events.publish(event);
      source.commit(position.nextOffsets());
      checkpointedStep = step;
      lastCheckpoint = written.location();
      LOG.info(
          "checkpoint {} written and announced as {}", written.location(), event.getCheckpointId());
      checkpoints.prune(retention);
    }
  }
}
