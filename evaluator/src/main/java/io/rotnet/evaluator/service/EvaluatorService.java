package io.rotnet.evaluator.service;

import io.rotnet.evaluator.plugin.CheckpointEvaluation;
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.GradMode;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.schemas.TopicLayout;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to checkpoint events and publishes one {@link EvalResult} per (checkpoint,
 * benchmark, dataset), exactly once.
 *
 * <ul>
 *   <li><b>Work sharing:</b> all instances of one benchmark on one dataset share a consumer group,
 *       so each checkpoint event is handled by one of them; other benchmarks have their own
 *       groups and see every event.
 *   <li><b>Exactly once:</b> a result and the consumed offset are committed in one Kafka
 *       transaction (the consumer group's metadata fences a stale instance after a rebalance),
 *       so the offset moves only when the result is acknowledged, and a crash in between leaves
 *       neither. A checkpoint announced twice is recognised by its result key, which the service
 *       looks up in the results topic (read up to its end before each evaluation).
 *   <li><b>Bad input:</b> an undecodable event, a checkpoint outside the root, with a manifest
 *       other than announced, a tampered file or unloadable parameters becomes a dead letter on
 *       {@code rotnet.checkpoints.dlq} with the reason; its offset is committed and the service
 *       goes on.
 *   <li><b>Long evaluations:</b> the benchmark runs on a worker thread while this thread keeps
 *       polling with every partition paused, so the group does not evict a busy instance; if the
 *       partition is taken away meanwhile, the evaluation is cancelled and left to the new owner.
 *   <li><b>Latest only:</b> optionally, of several checkpoints of a run waiting in one poll, only
 *       the newest step is evaluated; the older ones are committed without a result.
 * </ul>
 *
 * Failures that are not the event's fault (the dataset cannot be read, the broker fences this
 * producer) stop the service with the offset uncommitted, so nothing is lost on restart.
 */
public final class EvaluatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);

  private final EvaluatorServiceSettings settings;
  private final CheckpointEvaluation evaluator;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, EvalResult> producer;
  private final KafkaProducer<String, DeadLetter> deadLetterProducer;
  private final DeadLetterRouter<CheckpointEvent> router;
  private final CompletedResults completed;
  private final ExecutorService worker;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean started = new AtomicBoolean();
  private final Set<TopicPartition> revokedDuringBatch = new HashSet<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong superseded = new AtomicLong();
  private final AtomicLong notDue = new AtomicLong();
  private final Map<String, Object> adminConfig;
  private volatile boolean busy;

  public EvaluatorService(EvaluatorServiceSettings settings, CheckpointEvaluation evaluator, SchemaRegistryClient registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    Map<String, Object> common = new HashMap<>(settings.clientOverrides());
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    this.adminConfig = Map.copyOf(common);
    String clientId = settings.groupId() + "-" + Integer.toHexString(System.identityHashCode(this));

    this.consumer = new KafkaConsumer<>(ServiceClients.consumerConfig(common, settings.groupId(), clientId),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(
        ServiceClients.transactionalProducerConfig(common, clientId + "-results", settings.transactionalId()),
        new StringSerializer(), AvroSerdes.serializer(Topics.EVAL_RESULTS, registry));

    Map<String, Object> deadLetterConfig = new HashMap<>(common);
    deadLetterConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dlq");
    this.deadLetterProducer = DeadLetters.newProducer(deadLetterConfig, registry);
    this.router = DeadLetterRouter.builder(Topics.CHECKPOINTS, registry)
        .setProducer(deadLetterProducer)
        .setService("rotnet-evaluator/" + evaluator.benchmark() + "/" + evaluator.datasetName())
        .build();
    Map<String, Object> ledgerConfig = new HashMap<>(common);
    ledgerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-ledger");
    this.completed = new CompletedResults(ledgerConfig, settings.resultsTopic(), settings.catchUpTimeout());
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(() -> {
        GradMode.disableOnThisThread();
        r.run();
      }, "rotnet-evaluate-" + evaluator.benchmark());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Consumes until {@link #close()} is called from another thread; closes the Kafka clients
   * before returning.
   *
   * @throws EvaluationFailedException when an evaluation fails for a reason other than the
   *     checkpoint (its offset is not committed)
   */
  public void run() throws InterruptedException, TimeoutException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("an evaluator service runs once");
    }
    try {
      // before the trainer's first event could auto-create it with one partition
      TopicLayout.ensureCheckpoints(adminConfig, settings.checkpointsTopic());
      producer.initTransactions();
      consumer.subscribe(List.of(settings.checkpointsTopic()), new Rebalance());
      completed.refresh();
      LOG.info("evaluator {} on {} ready: group {}, {} result(s) published so far, waiting on {}{}",
          evaluator.benchmark(), evaluator.datasetName(), settings.groupId(), completed.size(),
          settings.checkpointsTopic(), (settings.latestOnly() ? " (newest checkpoint only)" : "")
              + (settings.everySteps() > 1 ? " (steps that are multiples of " + settings.everySteps() + ")" : ""));
      while (running.get()) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(settings.pollTimeout());
        } catch (WakeupException e) {
          if (running.get()) {
            throw e;
          }
          break;
        }
        if (!records.isEmpty()) {
          handle(records);
        }
      }
    } finally {
      release();
      stopped.countDown();
      LOG.info("evaluator {} on {} stopped: {} published, {} duplicate(s), {} superseded, {} not due, {} dead-lettered",
          evaluator.benchmark(), evaluator.datasetName(), published.get(), duplicates.get(),
          superseded.get(), notDue.get(), router.rejectedCount());
    }
  }

  private void handle(ConsumerRecords<String, byte[]> records) throws InterruptedException, TimeoutException {
    revokedDuringBatch.clear();
    List<Pending> batch = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      batch.add(new Pending(record, router.decode(record).orElse(null)));
    }
    for (Pending pending : batch) {
      pending.notDue = pending.event != null && !settings.isDue(pending.event.getStep());
    }
    if (settings.latestOnly()) {
      markSuperseded(batch);
    }
    for (Pending pending : batch) {
      if (!running.get()) {
        return;
      }
      TopicPartition partition = new TopicPartition(pending.record.topic(), pending.record.partition());
      if (revokedDuringBatch.contains(partition)) {
        continue; // the partition's new owner reads it again from the committed offset
      }
      Outcome outcome = process(pending, partition);
      if (outcome.abandoned) {
        continue;
      }
      commit(pending.record, partition, outcome.result);
    }
  }

  private Outcome process(Pending pending, TopicPartition partition) throws InterruptedException, TimeoutException {
    CheckpointEvent event = pending.event;
    if (event == null) {
      return Outcome.skip(); // already parked as a dead letter by the router
    }
    if (pending.notDue) {
      notDue.incrementAndGet();
      LOG.info("skipping {} (step {}): only every {} steps are evaluated", event.getCheckpointId(),
          event.getStep(), settings.everySteps());
      return Outcome.skip();
    }
    if (pending.superseded) {
      superseded.incrementAndGet();
      LOG.info("skipping {} (step {}): a newer checkpoint of run {} is waiting", event.getCheckpointId(),
          event.getStep(), event.getRunId());
      return Outcome.skip();
    }
    if (event.getCheckpointId() == null || event.getCheckpointId().isBlank()) {
      router.reject(pending.record, "unusable", "checkpoint event without checkpointId");
      return Outcome.skip();
    }
    String key = evaluator.resultKey(event.getCheckpointId());
    completed.refresh();
    if (completed.contains(key)) {
      duplicates.incrementAndGet();
      LOG.info("{} already has a result; event {}-{}@{} adds nothing", key, pending.record.topic(),
          pending.record.partition(), pending.record.offset());
      return Outcome.skip();
    }
    VerifiedCheckpoint checkpoint;
    try {
      checkpoint = evaluator.verify(event);
    } catch (CheckpointException e) {
      router.reject(pending.record, "bad-checkpoint", e.getMessage() + " [" + e.reason() + "]");
      return Outcome.skip();
    }
    LOG.info("evaluating {} (run {}, step {}) with {} on {}", event.getCheckpointId(), event.getRunId(),
        event.getStep(), evaluator.benchmark(), evaluator.datasetName());
    long startedNanos = System.nanoTime();
    EvalResult result;
    try {
      result = evaluateWhilePolling(event, checkpoint, partition);
    } catch (CheckpointLoadException e) {
      CheckpointException cause = e.checkpointException();
      router.reject(pending.record, "bad-checkpoint", cause.getMessage() + " [" + cause.reason() + "]");
      return Outcome.skip();
    }
    if (result == null) {
      return Outcome.abandon();
    }
    LOG.info("{} evaluated in {} s", key, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9));
    return Outcome.of(result);
  }

  /**
   * Runs the evaluation on the worker while polling with all partitions paused; returns null when
   * the partition was revoked or the service stopped meanwhile.
   */
  private EvalResult evaluateWhilePolling(CheckpointEvent event, VerifiedCheckpoint checkpoint, TopicPartition partition)
      throws CheckpointLoadException, InterruptedException {
    Future<EvalResult> future = worker.submit(() -> evaluator.evaluate(event, checkpoint));
    busy = true;
    consumer.pause(consumer.assignment());
    try {
      while (true) {
        try {
          return future.get(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          keepMembership();
          if (!running.get() || revokedDuringBatch.contains(partition)) {
            future.cancel(true);
            LOG.info("abandoning {}: {}", event.getCheckpointId(),
                running.get() ? "its partition moved to another instance" : "the service is stopping");
            return null;
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof CheckpointLoadException load) {
            throw load;
          }
          throw new EvaluationFailedException(
              "evaluating " + event.getCheckpointId() + " with " + evaluator.benchmark() + " failed: " + cause, cause);
        }
      }
    } finally {
      busy = false;
      consumer.resume(consumer.assignment());
    }
  }

  /** A poll that only heartbeats and rebalances: every partition is paused. */
  private void keepMembership() {
    ServiceClients.keepMembership(consumer, running);
  }

  private void commit(ConsumerRecord<String, byte[]> record, TopicPartition partition, EvalResult result) {
    String key = result == null ? null : evaluator.resultKey(result.getCheckpointId());
    producer.beginTransaction();
    try {
      if (result != null) {
        producer.send(new ProducerRecord<>(settings.resultsTopic(), key, result));
      }
      producer.sendOffsetsToTransaction(
          Map.of(partition, new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
        | UnsupportedVersionException e) {
      throw new EvaluationFailedException("the results producer cannot go on: " + e, e);
    } catch (KafkaException e) {
      producer.abortTransaction();
      LOG.warn("transaction for {}-{}@{} aborted ({}); it will be read again", record.topic(),
          record.partition(), record.offset(), e.toString());
      revokedDuringBatch.add(partition);
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, record.offset());
      }
      return;
    }
    if (result != null) {
      completed.add(key);
      published.incrementAndGet();
      LOG.info("published {} ({} rows)", key, result.getRows().size());
    }
  }

  /** Of the events of one run in a batch, all but the highest step are superseded. */
  private static void markSuperseded(List<Pending> batch) {
    Map<String, Pending> newest = new HashMap<>();
    for (Pending pending : batch) {
      if (pending.event == null || pending.notDue) {
        continue;
      }
      newest.merge(pending.event.getRunId(), pending,
          (a, b) -> b.event.getStep() >= a.event.getStep() ? b : a);
    }
    for (Pending pending : batch) {
      if (pending.event != null && !pending.notDue && newest.get(pending.event.getRunId()) != pending) {
        pending.superseded = true;
      }
    }
  }

  /**
   * Published results, events recognised as duplicates, skipped older checkpoints, checkpoints
   * off the {@code everySteps} grid, dead letters.
   */
  public Counters counters() {
    return new Counters(published.get(), duplicates.get(), superseded.get(), notDue.get(), router.rejectedCount());
  }

  /** Counts since start. */
  public record Counters(long published, long duplicates, long superseded, long notDue, long deadLettered) {}

  /** Asks {@link #run()} to stop and waits for it (up to 30 s). */
  @Override
  public void close() {
    ServiceClients.stop(running, started, stopped, consumer, this::release, evaluator.benchmark());
  }

  private void release() {
    ServiceClients.release(worker, consumer, producer, deadLetterProducer, completed);
  }

  /** Tracks partitions taken away while a batch is being worked on. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      revokedDuringBatch.addAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      revokedDuringBatch.addAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (busy) {
        consumer.pause(partitions); // nothing new while an evaluation runs
      }
    }
  }

  private static final class Pending {
    final ConsumerRecord<String, byte[]> record;
    final CheckpointEvent event;
    boolean superseded;
    boolean notDue;

    Pending(ConsumerRecord<String, byte[]> record, CheckpointEvent event) {
      this.record = record;
      this.event = event;
    }
  }

  private record Outcome(EvalResult result, boolean abandoned) {
    static Outcome skip() {
      return new Outcome(null, false);
    }

    static Outcome abandon() {
      return new Outcome(null, true);
    }

    static Outcome of(EvalResult result) {
      return new Outcome(result, false);
    }
  }

  /** An evaluation failed for a reason that is not the checkpoint's fault. */
  public static final class EvaluationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EvaluationFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
