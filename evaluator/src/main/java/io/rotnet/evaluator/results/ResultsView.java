package io.rotnet.evaluator.results;

import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ResultsTopology} as a Kafka Streams application and answers queries from its
 * stores in-process. Each start uses a fresh application id and state directory (deleted on
 * close) and reads the topics from the beginning, committed records only.
 */
public final class ResultsView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsView.class);

  private final KafkaStreams streams;
  private final StreamProgress progress;
  private final Path stateDir;
  private final Map<String, Object> clientConfig;
  private final List<String> topics;
  private final boolean withMetrics;

  private ResultsView(KafkaStreams streams, StreamProgress progress, Path stateDir,
      Map<String, Object> clientConfig, List<String> topics, boolean withMetrics) {
    this.streams = streams;
    this.progress = progress;
    this.stateDir = stateDir;
    this.clientConfig = clientConfig;
    this.topics = topics;
    this.withMetrics = withMetrics;
  }

  /**
   * Starts the view and waits until the application runs.
   *
   * @param metricsTopic null to leave the training metrics out
   */
  public static ResultsView start(
      String bootstrapServers, SchemaRegistryClient registry, String resultsTopic, String metricsTopic,
      Duration timeout) throws IOException, TimeoutException, InterruptedException {
    Set<String> existing = existingTopics(bootstrapServers, timeout);
    if (!existing.contains(resultsTopic)) {
      throw new NoSuchTopicException(resultsTopic);
    }
    if (metricsTopic != null && !existing.contains(metricsTopic)) {
      LOG.info("{} does not exist (yet); showing results without training metrics", metricsTopic);
      metricsTopic = null;
    }
    StreamProgress progress = new StreamProgress();
    var topology = ResultsTopology.build(
        resultsTopic, AvroSerdes.serde(Topics.EVAL_RESULTS, registry), metricsTopic,
        AvroSerdes.serde(Topics.METRICS, registry), progress);
    Path stateDir = Files.createTempDirectory("rotnet-results-");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rotnet-results-" + UUID.randomUUID());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        failed.set(now);
        running.countDown();
      }
    });
    List<String> topics = metricsTopic == null ? List.of(resultsTopic) : List.of(resultsTopic, metricsTopic);
    ResultsView view = new ResultsView(streams, progress, stateDir,
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, metricsTopic != null);
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failed.get() != null) {
      view.close();
      if (failed.get() != null) {
        throw new IllegalStateException("the results view stopped while starting (" + failed.get() + ")");
      }
      throw new TimeoutException("the results view did not start within " + timeout);
    }
    return view;
  }

  /** Names of the topics of the cluster. */
  public static Set<String> existingTopics(String bootstrapServers, Duration timeout)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list the topics of " + bootstrapServers + ": " + e.getCause(), e.getCause());
    }
  }

  /** The results topic does not exist: nothing has been evaluated on this cluster yet. */
  public static final class NoSuchTopicException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NoSuchTopicException(String topic) {
      super("topic " + topic + " does not exist yet");
    }
  }

  /** Waits until every record committed to the topics before this call has been processed. */
  public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> targets = LastRecordOffsets.find(clientConfig, topics, timeout);
    // wake on every processed record, and at least every 200 ms to look at the application state
    while (!progress.awaitReached(targets, 200)) {
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the results view stopped (" + streams.state() + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the results view did not read up to " + targets + " within " + timeout);
      }
    }
    LOG.debug("results view caught up with {}", targets);
  }

  /** Latest result per key, ordered by run, step and key. */
  public List<EvalResult> results() {
    List<EvalResult> results = new ArrayList<>(all(ResultsTopology.RESULTS_STORE));
    results.sort(Comparator.comparing(EvalResult::getRunId).thenComparingLong(EvalResult::getStep)
        .thenComparing(EvalResult::getCheckpointId));
    return results;
  }

  /** The result of one key, if any. */
  public EvalResult result(String key) {
    ReadOnlyKeyValueStore<String, EvalResult> store = store(ResultsTopology.RESULTS_STORE);
    return store.get(Objects.requireNonNull(key, "key"));
  }

  /** Latest training metrics per run (empty when the view was started without them). */
  public List<TrainingMetrics> runs() {
    return withMetrics ? all(ResultsTopology.METRICS_STORE) : List.of();
  }

  private <V> List<V> all(String storeName) {
    ReadOnlyKeyValueStore<String, V> store = store(storeName);
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<String, V> iterator = store.all()) {
      while (iterator.hasNext()) {
        KeyValue<String, V> entry = iterator.next();
        if (entry.value != null) {
          values.add(entry.value);
        }
      }
    }
    return values;
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    try (Stream<Path> paths = Files.walk(stateDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", stateDir, e.toString());
    }
  }
}
