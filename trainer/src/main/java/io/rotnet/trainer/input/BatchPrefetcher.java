package io.rotnet.trainer.input;

import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.dlq.DeadLetterRouter;
import io.rotnet.schemas.serde.AvroDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the image topic on a background thread and keeps a few host batches ready, so the training
 * step never waits on Kafka, decoding or batch assembly. The thread owns the consumer (Kafka
 * consumers are single-threaded): it assigns every partition of the topic, seeks to the start
 * position, and commits offsets when asked. Batches wait in a small bounded queue whose size, with
 * the buffer pool behind it, bounds host memory.
 */
public final class BatchPrefetcher implements BatchSource {

  private static final Logger LOG = LoggerFactory.getLogger(BatchPrefetcher.class);

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final StreamPosition startPosition;
  private final StreamBatcher batcher;
  private final DeadLetterRouter<RotatedImage> router;
  private final BlockingQueue<HostBatch> ready;
  private final Duration pollTimeout;
  private final Duration retryBackoff;
  private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> pendingCommit =
      new AtomicReference<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private BatchPrefetcher(Builder builder) {
    this.consumer = builder.consumer;
    this.topic = builder.topic;
    this.startPosition = builder.startPosition;
    this.pollTimeout = builder.pollTimeout;
    this.retryBackoff = builder.retryBackoff;
    this.ready = new ArrayBlockingQueue<>(builder.queueDepth);
    DeadLetterRouter<RotatedImage> router = builder.router;
    this.router = router;
    this.batcher =
        new StreamBatcher(
            builder.groupsPerBatch,
            builder.inputSize,
            builder.normalization,
            builder.maxGroupSpan,
            builder.queueDepth + 2, // one being filled, one being trained on, the queue
            router::decode,
            (record, refusal) -> router.reject(record, refusal.reasonClass(), refusal.detail()));
    this.thread = new Thread(this::run, "rotnet-prefetch-" + topic);
    thread.setDaemon(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts reading; batches become available through {@link #next}. */
  public BatchPrefetcher start() {
    thread.start();
    return this;
  }

  @Override
  public Optional<HostBatch> next(Duration timeout) throws InterruptedException {
    throwIfFailed();
    HostBatch batch = ready.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (batch == null) {
      throwIfFailed();
    }
    return Optional.ofNullable(batch);
  }

  private void throwIfFailed() {
    Throwable cause = failure;
    if (cause != null) {
      throw new IllegalStateException("reading " + topic + " failed: " + cause.getMessage(), cause);
    }
  }

  /**
   * Asks the reading thread to commit these next offsets to the consumer group. The checkpoint is
   * the source of truth for resuming; the commit makes the run's progress visible to Kafka tools
   * (consumer lag).
   */
  public void commit(Map<TopicPartition, Long> nextOffsets) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
    pendingCommit.set(offsets);
  }

  /**
   * Waits until the queue of ready batches is full, i.e. the reading thread has caught up and
   * rests; false if that did not happen within the timeout. Lets a benchmark start timing other
   * work without the reader still busy in the background.
   */
  public boolean awaitFull(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.remainingCapacity() > 0) {
      throwIfFailed();
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return true;
  }

  /** Records read so far. */
  public long recordsRead() {
    return batcher.recordsRead();
  }

  /** Records refused so far (dead-lettered). */
  public long recordsRefused() {
    return batcher.recordsRefused();
  }

  /**
   * Waits until every dead letter parked so far is acknowledged: call it before a checkpoint
   * records offsets past the records they came from.
   */
  public void awaitDeadLetters() {
    router.awaitParked();
  }

  private void run() {
    try {
      assignAndSeek();
      while (running) {
        try {
          commitIfAsked();
        } catch (RuntimeException e) {
          LOG.warn(
              "offset commit of {} failed (the checkpoint still has them): {}",
              topic,
              e.toString());
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        process(records);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("reading {} failed", topic, e);
    } finally {
      try {
        commitIfAsked();
      } catch (RuntimeException e) {
        LOG.warn("final offset commit of {} failed: {}", topic, e.toString());
      }
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      stopped.countDown();
    }
  }

  private void assignAndSeek() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist or has no partitions");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    consumer.assign(partitions);
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
    for (TopicPartition tp : partitions) {
      StreamPosition.PartitionPosition saved = startPosition.partitions().get(tp);
      if (saved != null) {
        consumer.seek(tp, saved.next());
        batcher.start(tp, saved);
      } else {
        long beginning = beginnings.getOrDefault(tp, 0L);
        consumer.seek(tp, beginning);
        batcher.start(tp, beginning);
      }
    }
    LOG.info(
        "reading {} from {}",
        topic,
        startPosition.partitions().isEmpty() ? "the beginning" : startPosition.nextOffsets());
  }

  private void process(ConsumerRecords<String, byte[]> records) throws InterruptedException {
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(tp);
      for (int i = 0; i < partitionRecords.size() && running; i++) {
        ConsumerRecord<String, byte[]> record = partitionRecords.get(i);
        Optional<HostBatch> batch;
        try {
          batch = batcher.accept(record, () -> running);
        } catch (AvroDecodingException e) {
          // Not the record's fault (registry unreachable): read it again after a pause.
          LOG.warn(
              "cannot decode {}-{}@{} yet, retrying: {}",
              tp.topic(),
              tp.partition(),
              record.offset(),
              e.getMessage());
          rewind(records, tp, record.offset());
          stopRequested.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
        if (batch.isPresent()) {
          hand(batch.get());
        }
      }
    }
  }

  /** Seeks the failed partition to the failed record and later partitions to their first. */
  private void rewind(ConsumerRecords<String, byte[]> records, TopicPartition failed, long offset) {
    boolean after = false;
    for (TopicPartition tp : records.partitions()) {
      if (tp.equals(failed)) {
        consumer.seek(tp, offset);
        after = true;
      } else if (after) {
        consumer.seek(tp, records.records(tp).get(0).offset());
      }
    }
  }

  private void hand(HostBatch batch) throws InterruptedException {
    while (running) {
      if (ready.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    batch.release();
  }

  /** Commits on this thread, which only delays prefetching (checkpoints are rare). */
  private void commitIfAsked() {
    Map<TopicPartition, OffsetAndMetadata> offsets = pendingCommit.getAndSet(null);
    if (offsets != null) {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
    }
  }

  @Override
  public void close() {
    // No wakeup(): every wait of the reading thread is bounded (poll timeout, 100 ms offers), and
    // a pending wakeup would make the final offset commit fail.
    running = false;
    stopRequested.countDown();
    try {
      if (thread.isAlive() && !stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("reader of {} did not stop within 30 s", topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (HostBatch batch = ready.poll(); batch != null; batch = ready.poll()) {
      batch.release();
    }
  }

  /** Settings: consumer, topic, router, groups per batch and input size are required. */
  public static final class Builder {
    private Consumer<String, byte[]> consumer;
    private String topic;
    private DeadLetterRouter<RotatedImage> router;
    private int groupsPerBatch;
    private int inputSize;
    private ImageNormalization normalization = ImageNormalization.IMAGENET;
    private StreamPosition startPosition = StreamPosition.beginning();
    private int queueDepth = 2;
    private int maxGroupSpan = 256;
    private Duration pollTimeout = Duration.ofMillis(100);
    private Duration retryBackoff = Duration.ofSeconds(1);

    private Builder() {}

    /** A consumer of byte[] values with auto-commit off; the prefetcher owns and closes it. */
    public Builder setConsumer(Consumer<String, byte[]> consumer) {
      this.consumer = consumer;
      return this;
    }

    public Builder setTopic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Decodes values and parks refused records in the topic's dead-letter topic. */
    public Builder setRouter(DeadLetterRouter<RotatedImage> router) {
      this.router = router;
      return this;
    }

    /** Rotation groups (crops) per batch; the batch holds four times as many images. */
    public Builder setGroupsPerBatch(int groups) {
      this.groupsPerBatch = groups;
      return this;
    }

    /** The only crop side accepted. */
    public Builder setInputSize(int size) {
      this.inputSize = size;
      return this;
    }

    /** Pixel normalization; default ImageNet's mean and std. */
    public Builder optNormalization(ImageNormalization value) {
      this.normalization = java.util.Objects.requireNonNull(value, "normalization");
      return this;
    }

    /** Where to resume; default the beginning of every partition. */
    public Builder optStartPosition(StreamPosition position) {
      this.startPosition = Objects.requireNonNull(position, "position");
      return this;
    }

    /** Batches kept ready ahead of the training step. Default 2. */
    public Builder optQueueDepth(int depth) {
      this.queueDepth = depth;
      return this;
    }

    /** Records of a partition within which a rotation group must complete. Default 256. */
    public Builder optMaxGroupSpan(int records) {
      this.maxGroupSpan = records;
      return this;
    }

    public Builder optPollTimeout(Duration timeout) {
      this.pollTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Pause before reading again after a transient decoding failure. Default 1 s. */
    public Builder optRetryBackoff(Duration backoff) {
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public BatchPrefetcher build() {
      Objects.requireNonNull(consumer, "a consumer is required (setConsumer)");
      Objects.requireNonNull(router, "a dead-letter router is required (setRouter)");
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("a topic is required (setTopic)");
      }
      if (groupsPerBatch <= 0 || inputSize <= 0) {
        throw new IllegalArgumentException("groups per batch and input size must be positive");
      }
      if (queueDepth <= 0) {
        throw new IllegalArgumentException("queue depth must be positive, got " + queueDepth);
      }
      return new BatchPrefetcher(this);
    }
  }
}
