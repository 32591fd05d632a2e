package io.rotnet.producer;

import io.rotnet.producer.augment.RotNetAugmenter;
import io.rotnet.producer.encode.PixelEncoder;
import io.rotnet.producer.source.EpochOrder;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.ImageSources;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.dlq.DeadLetters;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer service: streams a source through decode, RotNet augmentation and encoding into
 * {@code RotatedImage} records, four per image, for N epochs or until stopped.
 *
 * <p>One coordinating thread (the caller of {@link #run()}) hands images to K workers and sends
 * the results in submission order. Workers also Avro-serialize the records (Confluent wire
 * format, schema registered under the topic's subject), so the sending thread only batches and
 * compresses. At most {@code inFlightSamples} images are being prepared or
 * waiting at any time, so memory stays bounded and slow sends hold back decoding (backpressure).
 * Because the four views of an image are sent one after the other from that single thread, under
 * one key, they land consecutively in one partition; the idempotent producer keeps them in order
 * across retries.
 */
public final class RotNetProducer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RotNetProducer.class);
  static final String SERVICE = "producer";

  private final ProducerSettings settings;
  private final ImageSource source;
  private final Producer<String, byte[]> images;
  private final Producer<String, DeadLetter> deadLetters;
  private final AckListener ackListener;
  private final ThreadFactory workerThreads;
  private final SamplePreparer preparer;
  private final ProducerStats stats;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  private RotNetProducer(Builder builder) {
    this.settings = builder.settings;
    this.source = builder.source;
    this.images = builder.images;
    this.deadLetters = builder.deadLetters;
    this.ackListener = builder.ackListener;
    this.workerThreads = builder.workerThreads;
    this.preparer =
        new SamplePreparer(
            source,
            settings.decoder(),
            new RotNetAugmenter(settings.augment()),
            new PixelEncoder(settings.encoding(), settings.jpegQuality()),
            builder.serializer,
            settings.topic(),
            settings.seed(),
            builder.clock);
    this.stats = new ProducerStats(source.size());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the source, creates the topics when absent and connects to Kafka and the registry:
   * everything {@code rotnet produce} needs.
   */
  public static RotNetProducer open(ProducerSettings settings) throws InterruptedException {
    return open(settings, ImageSources.open(settings.source(), settings.idxLabels()));
  }

  /** As {@link #open(ProducerSettings)} on a source that is already open. */
  public static RotNetProducer open(ProducerSettings settings, ImageSource source)
      throws InterruptedException {
    return connect(settings, source).build();
  }

  /**
   * Creates the topics when absent and a builder holding Kafka producers for them, for callers
   * that add listeners or their own worker threads before {@link Builder#build()}.
   */
  public static Builder connect(ProducerSettings settings, ImageSource source)
      throws InterruptedException {
    TopicSetup.ensureTopics(settings);
    SchemaRegistryClient registry = new SchemaRegistryClient(settings.schemaRegistryUrl());
    KafkaProducer<String, byte[]> images =
        new KafkaProducer<>(
            settings.kafkaConfig(), new StringSerializer(), new ByteArraySerializer());
    KafkaProducer<String, DeadLetter> deadLetters;
    try {
      Map<String, Object> config = settings.kafkaConfig();
      config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-dlq");
      deadLetters = DeadLetters.newProducer(config, registry);
    } catch (RuntimeException e) {
      images.close(Duration.ZERO);
      throw e;
    }
    return builder()
        .setSettings(settings)
        .setSource(source)
        .setImageProducer(images)
        .setSerializer(AvroSerdes.serializer(Topics.IMAGES.named(settings.topic()), registry))
        .setDeadLetterProducer(deadLetters);
  }

  public ProducerSettings settings() {
    return settings;
  }

  public ImageSource source() {
    return source;
  }

  public ProducerStats stats() {
    return stats;
  }

  /**
   * Produces until the configured epochs are done or {@link #stop()} is called, then flushes.
   * Images already being prepared when the stop comes are still sent, so every view of a crop
   * that was started goes out; nothing acknowledged is lost.
   *
   * @throws IllegalStateException when Kafka refused records or every image was refused
   * @throws InterruptedException when the calling thread was interrupted (after flushing)
   */
  public RunSummary run() throws InterruptedException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a producer runs once");
    }
    LOG.info(
        "producing {} to {} ({} epoch(s){}, {} worker(s), size {}, {}, seed {})",
        source.description(),
        settings.topic(),
        settings.runsUntilStopped() ? "until stopped" : settings.epochs(),
        settings.imagesPerSecond() > 0 ? ", " + settings.imagesPerSecond() + " img/s" : "",
        settings.workers(),
        settings.augment().size(),
        settings.encoding(),
        settings.seed());
    ExecutorService workers = Executors.newFixedThreadPool(settings.workers(), workerThreads);
    ArrayDeque<Future<PreparedSample>> window = new ArrayDeque<>();
    BitSet refusedSources = new BitSet(source.size());
    RateLimiter rate = new RateLimiter(settings.imagesPerSecond(), stopSignal);
    int completedEpochs = 0;
    boolean interrupted = false;
    try {
      epochs:
      for (int epoch = 0; settings.runsUntilStopped() || epoch < settings.epochs(); epoch++) {
        int[] order = EpochOrder.shuffled(source.size(), settings.seed(), epoch);
        for (int index = 0; index < order.length; index++) {
          int sourceIndex = order[index];
          if (refusedSources.get(sourceIndex)) {
            continue; // refused once, dead-lettered once
          }
          if (sendFailure.get() != null || !rate.acquire()) {
            break epochs;
          }
          int currentEpoch = epoch;
          long indexInEpoch = index;
          window.addLast(workers.submit(() -> preparer.prepare(currentEpoch, indexInEpoch, sourceIndex)));
          if (window.size() >= settings.inFlightSamples()) {
            send(window.pollFirst(), refusedSources);
          }
        }
        while (!window.isEmpty()) {
          send(window.pollFirst(), refusedSources);
        }
        completedEpochs++;
        if (refusedSources.cardinality() == source.size()) {
          throw new IllegalStateException(
              "every one of the " + source.size() + " images was refused; see " + settings.deadLetterTopic());
        }
      }
      while (!window.isEmpty()) {
        send(window.pollFirst(), refusedSources);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      stop();
    } finally {
      workers.shutdownNow();
      flushAll(interrupted);
      finished.countDown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptedException("producer interrupted; records sent so far were flushed");
    }
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new IllegalStateException("Kafka refused records: " + failure.getMessage(), failure);
    }
    ProducerStats.Snapshot end = stats.snapshot();
    RunSummary summary =
        new RunSummary(
            end.imagesSent(),
            end.recordsAcked(),
            end.refused(),
            completedEpochs,
            stopSignal.getCount() == 0,
            end.elapsedSeconds());
    LOG.info(
        "produced {} image(s) = {} record(s) acknowledged, {} refused, {} epoch(s) complete{} in {} s",
        summary.imagesSent(),
        summary.recordsAcked(),
        summary.refused(),
        summary.completedEpochs(),
        summary.stoppedEarly() ? " (stopped)" : "",
        String.format("%.1f", summary.elapsedSeconds()));
    return summary;
  }

  /** Asks a running {@link #run()} to finish what is in flight, flush and return. Idempotent. */
  public void stop() {
    stopSignal.countDown();
  }

  public boolean isStopRequested() {
    return stopSignal.getCount() == 0;
  }

  /** Waits until {@link #run()} has flushed and returned; true if it did within the timeout. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void send(Future<PreparedSample> pending, BitSet refusedSources) throws InterruptedException {
    PreparedSample sample;
    try {
      sample = pending.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("preparing an image failed unexpectedly", cause);
    }
    if (sample instanceof PreparedSample.Views views) {
      sendViews(views);
    } else if (sample instanceof PreparedSample.Refused refused) {
      refusedSources.set(refused.sourceIndex());
      sendDeadLetter(refused);
    }
  }

  private void sendViews(PreparedSample.Views views) {
    List<byte[]> values = views.values();
    for (int rotation = 0; rotation < values.size(); rotation++) {
      int sentRotation = rotation;
      images.send(
          new ProducerRecord<>(settings.topic(), views.key(), values.get(rotation)),
          (metadata, error) -> {
            if (error == null) {
              stats.recordAcked();
              ackListener.acknowledged(views.key(), sentRotation, metadata);
            } else {
              stats.recordFailed();
              sendFailure.compareAndSet(null, error);
            }
          });
    }
    stats.imageSent(values.size(), views.pixelBytes());
    stats.position(views.epoch(), views.indexInEpoch());
  }

  private void sendDeadLetter(PreparedSample.Refused refused) {
    LOG.warn("refused {}: {}", refused.entry().uri(), refused.reason());
    DeadLetter letter =
        DeadLetters.of(
            refused.entry().uri(), null, null, refused.entry().id(), refused.reason(), refused.excerpt(), SERVICE);
    deadLetters.send(
        new ProducerRecord<>(settings.deadLetterTopic(), refused.entry().id(), letter),
        (metadata, error) -> {
          if (error != null) {
            sendFailure.compareAndSet(null, error);
          }
        });
    stats.refused();
  }

  private void flushAll(boolean interrupted) {
    // KafkaProducer.flush() refuses to wait on an interrupted thread: clear the flag while flushing.
    boolean wasInterrupted = Thread.interrupted();
    try {
      images.flush();
      deadLetters.flush();
    } finally {
      if (wasInterrupted && !interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ThreadFactory defaultWorkerThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "rotnet-decode-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Closes the Kafka producers (after flushing). */
  @Override
  public void close() {
    stop();
    images.close(Duration.ofSeconds(30));
    deadLetters.close(Duration.ofSeconds(30));
  }

  /** Builder: settings, source and both Kafka producers are required. */
  public static final class Builder {
    private ProducerSettings settings;
    private ImageSource source;
    private Producer<String, byte[]> images;
    private Serializer<RotatedImage> serializer;
    private Producer<String, DeadLetter> deadLetters;
    private AckListener ackListener = AckListener.NONE;
    private Clock clock = Clock.systemUTC();
    private ThreadFactory workerThreads = defaultWorkerThreads();

    private Builder() {}

    public Builder setSettings(ProducerSettings settings) {
      this.settings = settings;
      return this;
    }

    public Builder setSource(ImageSource source) {
      this.source = source;
      return this;
    }

    /** Sends the serialized records: keys as strings, values as they come from the serializer. */
    public Builder setImageProducer(Producer<String, byte[]> images) {
      this.images = images;
      return this;
    }

    /** Serializes records for the topic on the workers (Avro in the Confluent wire format). */
    public Builder setSerializer(Serializer<RotatedImage> serializer) {
      this.serializer = serializer;
      return this;
    }

    public Builder setDeadLetterProducer(Producer<String, DeadLetter> deadLetters) {
      this.deadLetters = deadLetters;
      return this;
    }

    public Builder optAckListener(AckListener ackListener) {
      this.ackListener = ackListener;
      return this;
    }

    /** Threads for the decode workers (default: daemon threads named rotnet-decode-N). */
    public Builder optWorkerThreads(ThreadFactory workerThreads) {
      this.workerThreads = workerThreads;
      return this;
    }

    /** Clock for {@code producedAt} (default: system UTC). */
    public Builder optClock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public RotNetProducer build() {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(images, "image producer");
      Objects.requireNonNull(serializer, "serializer");
      Objects.requireNonNull(deadLetters, "dead-letter producer");
      Objects.requireNonNull(ackListener, "ack listener");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(workerThreads, "worker threads");
      if (source.size() == 0) {
        throw new IllegalArgumentException("the source holds no image: " + source.description());
      }
      return new RotNetProducer(this);
    }
  }
}
