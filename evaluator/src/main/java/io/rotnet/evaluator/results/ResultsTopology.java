package io.rotnet.evaluator.results;

import io.rotnet.schemas.avro.EvalResult;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results view: the latest {@link EvalResult} per {@code <checkpoint>/<benchmark>/<dataset>}
 * from {@code rotnet.eval-results}, and the latest {@link TrainingMetrics} per run from
 * {@code rotnet.metrics}, each materialized in a queryable key-value store.
 *
 * <p>Values are read as bytes and decoded in the topology, so that a record that does not decode
 * is logged and skipped instead of stopping the application, and every input offset, decodable or
 * not, is reported to a {@link StreamProgress} (how {@code rotnet results} knows it has caught up).
 * A tombstone (null value) removes the key. The stores are not backed by changelog topics: the
 * view is rebuilt from the input topics on every start, which is what a short-lived query wants.
 */
public final class ResultsTopology {
  /** Store of the latest result per result key. */
  public static final String RESULTS_STORE = "rotnet-latest-results";
  /** Store of the latest training metrics per run id. */
  public static final String METRICS_STORE = "rotnet-latest-metrics";

  private ResultsTopology() {}

  /**
   * @param metricsTopic the training metrics topic, or null to leave the metrics store out
   */
  public static Topology build(
      String resultsTopic, Serde<EvalResult> resultSerde, String metricsTopic,
      Serde<TrainingMetrics> metricsSerde, StreamProgress progress) {
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(resultSerde, "resultSerde");
    Objects.requireNonNull(progress, "progress");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(resultsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .processValues(() -> new DecodeAndTrack<>(resultSerde.deserializer(), progress))
        .toTable(Materialized.<String, EvalResult, KeyValueStore<Bytes, byte[]>>as(RESULTS_STORE)
            .withKeySerde(Serdes.String())
            .withValueSerde(resultSerde)
            .withLoggingDisabled());
    if (metricsTopic != null) {
      Objects.requireNonNull(metricsSerde, "metricsSerde");
      builder.stream(metricsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
          .processValues(() -> new DecodeAndTrack<>(metricsSerde.deserializer(), progress))
          .toTable(Materialized.<String, TrainingMetrics, KeyValueStore<Bytes, byte[]>>as(METRICS_STORE)
              .withKeySerde(Serdes.String())
              .withValueSerde(metricsSerde)
              .withLoggingDisabled());
    }
    return builder.build();
  }

  /** Decodes values, drops (and logs) the undecodable, records every offset seen. */
  private static final class DecodeAndTrack<V> implements FixedKeyProcessor<String, byte[], V> {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsTopology.class);
    private final Deserializer<V> deserializer;
    private final StreamProgress progress;
    private FixedKeyProcessorContext<String, V> context;

    DecodeAndTrack(Deserializer<V> deserializer, StreamProgress progress) {
      this.deserializer = deserializer;
      this.progress = progress;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      var metadata = context.recordMetadata();
      String topic = metadata.map(m -> m.topic()).orElse("?");
      try {
        if (record.key() == null) {
          LOG.warn("skipping a record without key on {}", topic);
          return;
        }
        V value = record.value() == null ? null : deserializer.deserialize(topic, record.value());
        context.forward(record.withValue(value));
      } catch (RuntimeException e) {
        LOG.warn("skipping undecodable record {} on {}: {}", record.key(), topic, e.getMessage());
      } finally {
        metadata.ifPresent(m -> progress.record(m.topic(), m.partition(), m.offset()));
      }
    }
  }
}
