package io.rotnet.evaluator.service;

import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.GradMode;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;
import io.rotnet.evaluator.benchmark.TopKMerge;
import io.rotnet.schemas.Topic;
import io.rotnet.schemas.TopicLayout;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.EvalRow;
import io.rotnet.schemas.avro.NeighbourBlock;
import io.rotnet.schemas.avro.TaskPart;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An evaluator service whose work on one checkpoint is split into tasks ({@code TaskSplit}: svm
 * per tap, lowshot-svm per tap and k, knn per train shard) that every instance of the
 * benchmark's group takes from a shared task topic, with the merged {@link EvalResult} still published exactly once. All
 * instances of a group share one consumer group over three topics:
 *
 * <ol>
 *   <li><b>checkpoints</b>: an event is verified (a bad one becomes a dead letter) and turned into
 *       one task record per task on {@code <checkpoints>.tasks.<group>} (the event itself, the
 *       task in a header, spread round-robin over the partitions), committed with the event's
 *       offset in one transaction;
 *   <li><b>tasks</b>: a task is evaluated on a worker while this thread keeps polling with every
 *       partition paused; its share goes to {@code <checkpoints>.parts.<group>} as {@link TaskPart}
 *       records keyed by the result key, all parts of one result on one partition (one part with
 *       the task's rows, or for a kNN train shard one part per block of queries' top-k lists),
 *       together with the task's offset in one transaction. An instance stopped or killed
 *       mid-task commits nothing, so the task's partition moves to another instance, which runs it
 *       again;
 *   <li><b>parts</b>: the owner of a result's parts partition collects every part of every task
 *       (a part seen twice counts once; neighbour lists are merged exactly as they come) and, with
 *       all in, publishes the merged result (for knn the vote over the merged lists) and the parts'
 *       offsets in one transaction, unless the results topic already holds the key. Offsets only
 *       move past parts of results already published, so a restarted owner rebuilds the rest.
 * </ol>
 *
 * Transactions carry the consumer group's metadata, so an instance that lost its partitions in a
 * rebalance is fenced and cannot publish what another instance now owns.
 */
public final class SplitEvaluatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SplitEvaluatorService.class);
  static final String TASK_HEADER = "rotnet-task";
  static final String TASKS_HEADER = "rotnet-tasks";
  /** Partitions of the task and part topics when this service creates them. */
  public static final int DEFAULT_TASK_PARTITIONS = 6;

  private final EvaluatorServiceSettings settings;
  private final CheckpointEvaluator evaluator;
  private final String tasksTopic;
  private final String partsTopic;
  private int taskPartitions;
  private int partPartitions;
  private final Map<String, Object> adminConfig;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaProducer<String, DeadLetter> deadLetterProducer;
  private final Serializer<CheckpointEvent> eventSerializer;
  private final Serializer<EvalResult> resultSerializer;
  private final Serializer<TaskPart> partSerializer;
  private final Deserializer<CheckpointEvent> eventDeserializer;
  private final Deserializer<TaskPart> partDeserializer;
  private final DeadLetterRouter<CheckpointEvent> router;
  private final CompletedResults completed;
  private final ExecutorService worker;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Set<TopicPartition> revoked = new HashSet<>();
  /** Parts of results not yet complete, by parts partition and result key. */
  private final Map<TopicPartition, Map<String, PendingResult>> pending = new HashMap<>();
  private final AtomicLong tasksEvaluated = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private volatile Consumer<String> onTaskStart = task -> { };
  private volatile boolean busy;
  private volatile Set<TopicPartition> assigned = Set.of();
  private int nextTaskPartition;
  private volatile int maxBlockBytes = NeighbourBlocks.DEFAULT_MAX_BYTES;

  public SplitEvaluatorService(EvaluatorServiceSettings settings, CheckpointEvaluator evaluator,
      SchemaRegistryClient registry, int taskPartitions) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.tasksTopic = settings.checkpointsTopic() + ".tasks." + settings.groupId();
    this.partsTopic = settings.checkpointsTopic() + ".parts." + settings.groupId();
    this.taskPartitions = taskPartitions;
    Map<String, Object> common = new HashMap<>(settings.clientOverrides());
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    this.adminConfig = Map.copyOf(common);
    String clientId = settings.groupId() + "-split-" + Integer.toHexString(System.identityHashCode(this));

    this.consumer = new KafkaConsumer<>(ServiceClients.consumerConfig(common, settings.groupId(), clientId),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(
        ServiceClients.transactionalProducerConfig(common, clientId + "-tx", settings.transactionalId()),
        new StringSerializer(), new ByteArraySerializer());
    this.eventSerializer = AvroSerdes.serializer(Topics.CHECKPOINTS, registry);
    this.resultSerializer = AvroSerdes.serializer(Topics.EVAL_RESULTS, registry);
    Topic<TaskPart> parts = new Topic<>(partsTopic, TaskPart.class);
    this.partSerializer = AvroSerdes.serializer(parts, registry);
    this.eventDeserializer = AvroSerdes.deserializer(Topics.CHECKPOINTS, registry);
    this.partDeserializer = AvroSerdes.deserializer(parts, registry);

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
      }, "rotnet-evaluate-task-" + evaluator.benchmark());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The topic tasks of this group travel on. */
  public String tasksTopic() {
    return tasksTopic;
  }

  /** Called on the worker as each task starts (for logs and tests). */
  void onTaskStart(Consumer<String> listener) {
    this.onTaskStart = Objects.requireNonNull(listener, "listener");
  }

  /** Tasks this instance evaluated and committed; merged results it published. */
  public long tasksEvaluated() {
    return tasksEvaluated.get();
  }

  public long published() {
    return published.get();
  }

  /** The partitions this instance holds, as of its last rebalance. */
  public Set<TopicPartition> assignment() {
    return assigned;
  }

  /** Consumes until {@link #close()}; closes the Kafka clients before returning. */
  public void run() throws InterruptedException, TimeoutException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("an evaluator service runs once");
    }
    try {
      TopicLayout.ensureCheckpoints(adminConfig, settings.checkpointsTopic());
      taskPartitions = TopicLayout.ensure(adminConfig, tasksTopic, taskPartitions);
      partPartitions = TopicLayout.ensure(adminConfig, partsTopic, taskPartitions);
      producer.initTransactions();
      consumer.subscribe(List.of(settings.checkpointsTopic(), tasksTopic, partsTopic), new Rebalance());
      completed.refresh();
      LOG.info("evaluator {} on {} ready, tasks {} shared over group {}", evaluator.benchmark(),
          evaluator.datasetName(), evaluator.tasks(), settings.groupId());
      while (running.get()) {
        try {
          ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
          // what this poll revoked was revoked before it fetched: its records are of the new
          // assignment, read from committed offsets. Only revocations while handling them count.
          revoked.clear();
          for (ConsumerRecord<String, byte[]> record : records) {
            if (!running.get()) {
              break;
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (revoked.contains(partition)) {
              continue; // taken away during this batch: read again from the committed offset
            }
            handle(record, partition);
          }
        } catch (WakeupException e) {
          if (running.get()) {
            throw e;
          }
        }
      }
    } finally {
      release();
      stopped.countDown();
      LOG.info("evaluator {} on {} stopped: {} task(s) evaluated, {} result(s) published", evaluator.benchmark(),
          evaluator.datasetName(), tasksEvaluated.get(), published.get());
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record, TopicPartition partition)
      throws InterruptedException, TimeoutException {
    if (record.topic().equals(settings.checkpointsTopic())) {
      announceTasks(record, partition);
    } else if (record.topic().equals(tasksTopic)) {
      runTask(record, partition);
    } else {
      collectPart(record, partition);
    }
  }

  /** A checkpoint event becomes one task record per task, with the event's offset. */
  private void announceTasks(ConsumerRecord<String, byte[]> record, TopicPartition partition) throws TimeoutException {
    CheckpointEvent event = router.decode(record).orElse(null);
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    if (event != null && (event.getCheckpointId() == null || event.getCheckpointId().isBlank())) {
      router.reject(record, "unusable", "checkpoint event without checkpointId");
      event = null;
    }
    if (event != null) {
      String key = evaluator.resultKey(event.getCheckpointId());
      completed.refresh();
      if (completed.contains(key)) {
        LOG.info("{} already has a result", key);
      } else {
        try {
          evaluator.verify(event);
          List<String> tasks = evaluator.tasks();
          byte[] value = eventSerializer.serialize(tasksTopic, event);
          for (String task : tasks) {
            ProducerRecord<String, byte[]> taskRecord = new ProducerRecord<>(tasksTopic,
                nextTaskPartition++ % taskPartitions, key + "#" + task, value);
            taskRecord.headers().add(TASK_HEADER, task.getBytes(StandardCharsets.UTF_8));
            taskRecord.headers().add(TASKS_HEADER, Integer.toString(tasks.size()).getBytes(StandardCharsets.UTF_8));
            out.add(taskRecord);
          }
          LOG.info("{}: {} task(s) announced", key, tasks.size());
        } catch (CheckpointException e) {
          router.reject(record, "bad-checkpoint", e.getMessage() + " [" + e.reason() + "]");
        }
      }
    }
    transact(out, partition, record.offset() + 1, record.offset());
  }

  /** Evaluates one task while polling, then sends its part with the task's offset. */
  private void runTask(ConsumerRecord<String, byte[]> record, TopicPartition partition)
      throws InterruptedException, TimeoutException {
    String task = header(record, TASK_HEADER);
    CheckpointEvent event = eventDeserializer.deserialize(record.topic(), record.headers(), record.value());
    String key = evaluator.resultKey(event.getCheckpointId());
    completed.refresh();
    if (completed.contains(key)) {
      transact(List.of(), partition, record.offset() + 1, record.offset());
      return;
    }
    CheckpointEvaluator.TaskOutcome outcome;
    try {
      VerifiedCheckpoint checkpoint = evaluator.verify(event);
      outcome = evaluateWhilePolling(event, checkpoint, task, partition);
    } catch (CheckpointException | CheckpointLoadException e) {
      // verified when announced: it changed on disk since; nothing to evaluate
      LOG.warn("{} task {} dropped: {}", key, task, e.getMessage());
      transact(List.of(), partition, record.offset() + 1, record.offset());
      return;
    }
    if (outcome == null) {
      return; // abandoned: moved to another instance or stopping
    }
    int taskCount = Integer.parseInt(header(record, TASKS_HEADER));
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    int target = partsPartition(key);
    for (TaskPart part : parts(task, taskCount, outcome)) {
      out.add(new ProducerRecord<>(partsTopic, target, key, partSerializer.serialize(partsTopic, part)));
    }
    if (transact(out, partition, record.offset() + 1, record.offset())) {
      tasksEvaluated.incrementAndGet();
    }
  }

  /** A task's share as parts: one, or one per block of queries' neighbour lists. */
  private List<TaskPart> parts(String task, int taskCount, CheckpointEvaluator.TaskOutcome outcome) {
    if (outcome.neighbours() == null) {
      return List.of(TaskPart.newBuilder().setTask(task).setTaskCount(taskCount).setChunk(0).setChunkCount(1)
          .setOutcome(outcome.result()).build());
    }
    List<NeighbourBlock> blocks = NeighbourBlocks.split(outcome.neighbours(), maxBlockBytes);
    List<TaskPart> parts = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      parts.add(TaskPart.newBuilder().setTask(task).setTaskCount(taskCount).setChunk(i).setChunkCount(blocks.size())
          .setOutcome(outcome.result()).setNeighbours(blocks.get(i)).build());
    }
    return parts;
  }

  private CheckpointEvaluator.TaskOutcome evaluateWhilePolling(CheckpointEvent event, VerifiedCheckpoint checkpoint,
      String task, TopicPartition partition) throws CheckpointLoadException, InterruptedException {
    Future<CheckpointEvaluator.TaskOutcome> future = worker.submit(() -> {
      onTaskStart.accept(task);
      return evaluator.evaluateTask(event, checkpoint, task);
    });
    busy = true;
    consumer.pause(consumer.assignment());
    try {
      while (true) {
        try {
          return future.get(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          keepMembership();
          if (!running.get() || revoked.contains(partition)) {
            future.cancel(true);
            LOG.info("abandoning task {} of {}: {}", task, event.getCheckpointId(),
                running.get() ? "its partition moved to another instance" : "the service is stopping");
            return null;
          }
        } catch (ExecutionException e) {
          if (e.getCause() instanceof CheckpointLoadException load) {
            throw load;
          }
          throw new EvaluatorService.EvaluationFailedException("task " + task + " of " + event.getCheckpointId()
              + " with " + evaluator.benchmark() + " failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      busy = false;
      consumer.resume(consumer.assignment());
    }
  }

  private void keepMembership() {
    ServiceClients.keepMembership(consumer, running);
  }

  /** Collects a part; with every task in, publishes the merged result exactly once. */
  private void collectPart(ConsumerRecord<String, byte[]> record, TopicPartition partition) throws TimeoutException {
    String key = record.key();
    completed.refresh();
    if (completed.contains(key)) {
      return; // a part of a result already out (replayed or duplicated): nothing to wait for
    }
    TaskPart part = partDeserializer.deserialize(record.topic(), record.headers(), record.value());
    Map<String, PendingResult> open = pending.computeIfAbsent(partition, p -> new LinkedHashMap<>());
    PendingResult result = open.computeIfAbsent(key, k -> new PendingResult(record.offset()));
    if (!result.add(part)) {
      return;
    }
    open.remove(key);
    long safe = open.values().stream().mapToLong(p -> p.firstOffset).min().orElse(record.offset() + 1);
    long reread = Math.min(safe, result.firstOffset);
    EvalResult merged = result.merge(evaluator);
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(settings.resultsTopic(), key,
        resultSerializer.serialize(settings.resultsTopic(), merged));
    if (transact(List.of(out), partition, safe, reread)) {
      completed.add(key);
      published.incrementAndGet();
      LOG.info("published {} merged from {} task(s)", key, part.getTaskCount());
    }
  }

  /**
   * Sends {@code records} and moves {@code partition}'s offset to {@code offset} in one
   * transaction; false when the transaction failed and the partition is read again from {@code
   * reread}.
   */
  private boolean transact(List<ProducerRecord<String, byte[]>> records, TopicPartition partition, long offset,
      long reread) {
    producer.beginTransaction();
    try {
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record);
      }
      producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(offset)), consumer.groupMetadata());
      producer.commitTransaction();
      return true;
    } catch (org.apache.kafka.common.errors.ProducerFencedException
        | org.apache.kafka.common.errors.OutOfOrderSequenceException
        | org.apache.kafka.common.errors.AuthorizationException e) {
      throw new EvaluatorService.EvaluationFailedException("the producer cannot go on: " + e, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      producer.abortTransaction();
      LOG.warn("transaction for {} aborted ({}); it will be read again", partition, e.toString());
      revoked.add(partition);
      pending.remove(partition);
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, reread);
      }
      return false;
    }
  }

  /** Neighbour bytes per part record (tests make it small to split a few queries into blocks). */
  void maxBlockBytes(int bytes) {
    this.maxBlockBytes = bytes;
  }

  /** Every part of one result goes to one partition of the parts topic. */
  private int partsPartition(String key) {
    return Math.floorMod(key.hashCode(), partPartitions);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null) {
      throw new IllegalStateException(record.topic() + "@" + record.offset() + " has no " + name + " header");
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    ServiceClients.stop(running, started, stopped, consumer, this::release, evaluator.benchmark());
  }

  private void release() {
    ServiceClients.release(worker, consumer, producer, deadLetterProducer, completed);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Set<TopicPartition> left = new HashSet<>(assigned);
      left.removeAll(partitions);
      assigned = Set.copyOf(left);
      revoked.addAll(partitions);
      partitions.forEach(pending::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Set<TopicPartition> now = new HashSet<>(assigned);
      now.addAll(partitions);
      assigned = Set.copyOf(now);
      if (busy) {
        consumer.pause(partitions);
      }
    }
  }

  /**
   * The parts of one result seen so far, and the offset of the first. A part seen twice counts
   * once; neighbour blocks are merged as they come, so memory holds one list per query.
   */
  private static final class PendingResult {
    final long firstOffset;
    final Map<String, EvalResult> done = new HashMap<>();
    final Map<String, Set<Integer>> chunks = new HashMap<>();
    TopKMerge neighbours;
    int taskCount;

    PendingResult(long firstOffset) {
      this.firstOffset = firstOffset;
    }

    /** True once every part of every task is in. */
    boolean add(TaskPart part) {
      String task = part.getTask();
      taskCount = part.getTaskCount();
      if (done.containsKey(task) || !chunks.computeIfAbsent(task, t -> new HashSet<>()).add(part.getChunk())) {
        return false;
      }
      NeighbourBlock block = part.getNeighbours();
      if (block != null) {
        if (neighbours == null) {
          neighbours = new TopKMerge(block.getQueries(), Math.max(1, block.getK()));
        }
        neighbours.add(block.getFirstQuery(), NeighbourBlocks.decode(block));
      }
      if (chunks.get(task).size() == part.getChunkCount()) {
        chunks.remove(task);
        done.put(task, part.getOutcome());
      }
      return done.size() == taskCount;
    }

    /** The merged result: the tasks' rows, or the vote of the merged neighbour lists. */
    EvalResult merge(CheckpointEvaluator evaluator) {
      Map<String, List<EvalRow>> rows = new HashMap<>();
      Instant started = null;
      Instant finished = null;
      EvalResult any = null;
      for (Map.Entry<String, EvalResult> e : done.entrySet()) {
        EvalResult part = e.getValue();
        rows.put(e.getKey(), part.getRows());
        started = started == null || part.getStartedAt().isBefore(started) ? part.getStartedAt() : started;
        finished = finished == null || part.getFinishedAt().isAfter(finished) ? part.getFinishedAt() : finished;
        any = part;
      }
      List<EvalRow> merged = neighbours != null ? evaluator.knnRows(neighbours.result()) : evaluator.mergeTasks(rows);
      return EvalResult.newBuilder(any).setRows(merged).setStartedAt(started).setFinishedAt(finished).build();
    }
  }
}
