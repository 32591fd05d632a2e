package io.rotnet.schemas.dlq;

import io.rotnet.schemas.Topic;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.serde.AvroDecodingException;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-side decoding that never stops on a bad record: a value that cannot be decoded, or that
 * decodes but cannot be used, is written to {@code <topic>.dlq} as a {@link DeadLetter} with the
 * reason, counted by reason class, and consumption goes on. Each dead letter is acknowledged
 * before {@link #decode} or {@link #reject} returns, so committing the record afterwards loses
 * nothing.
 *
 * <p>Failures that are not the record's fault (the registry cannot be reached) are rethrown, so
 * the caller retries instead of parking good data. Floods are logged at WARN on the first record
 * of each reason class and then once every {@code logEvery} records.
 */
public final class DeadLetterRouter<V> {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);

  /** Reason class of a record with no value at all. */
  public static final String NULL_VALUE = "null-value";
  /** Reason class of {@link #reject(ConsumerRecord, String)}. */
  public static final String UNUSABLE = "unusable";
  /** Reason class of a failure of a deserializer other than the Avro one. */
  public static final String UNDECODABLE = "undecodable";

  private final Deserializer<V> deserializer;
  private final Producer<String, DeadLetter> producer;
  private final String service;
  private final int logEvery;
  private final Duration sendTimeout;
  private final Clock clock;
  private final boolean deferAcknowledgements;
  private final AtomicLong rejected = new AtomicLong();
  private final Map<String, AtomicLong> rejectedByReason = new ConcurrentHashMap<>();
  private final List<Parked> unacknowledged = new ArrayList<>();

  /** A dead letter sent and not yet known to be acknowledged. */
  private record Parked(Future<RecordMetadata> ack, String where, String target, String reason) {}

  private DeadLetterRouter(Builder<V> builder) {
    this.deserializer = builder.deserializer;
    this.producer = builder.producer;
    this.service = builder.service;
    this.logEvery = builder.logEvery;
    this.sendTimeout = builder.sendTimeout;
    this.clock = builder.clock;
    this.deferAcknowledgements = builder.deferAcknowledgements;
  }

  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /** A builder that already decodes the topic's value type with the Avro serde. */
  public static <V extends SpecificRecord> Builder<V> builder(
      Topic<V> topic, SchemaRegistryClient registry) {
    Builder<V> builder = new Builder<>();
    return builder.setDeserializer(AvroSerdes.deserializer(topic, registry));
  }

  /**
   * The decoded value, or empty when the record was parked in the dead-letter topic.
   *
   * @throws AvroDecodingException when the failure is transient (registry unavailable)
   * @throws DeadLetterException when the dead letter could not be written
   */
  public Optional<V> decode(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      park(record, NULL_VALUE, NULL_VALUE + ": record has no value");
      return Optional.empty();
    }
    try {
      V value = deserializer.deserialize(record.topic(), record.headers(), record.value());
      if (value == null) {
        park(record, NULL_VALUE, NULL_VALUE + ": deserializer returned no value");
        return Optional.empty();
      }
      return Optional.of(value);
    } catch (AvroDecodingException e) {
      if (e.failure().isTransient()) {
        throw e;
      }
      park(record, e.failure().reasonClass(), e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      park(record, UNDECODABLE, UNDECODABLE + ": " + e);
      return Optional.empty();
    }
  }

  /** Parks a record that decoded but cannot be used, e.g. an image of the wrong shape. */
  public void reject(ConsumerRecord<String, byte[]> record, String reason) {
    reject(record, UNUSABLE, reason);
  }

  /**
   * Parks a record under a reason class of the caller's choosing ({@code wrong-shape}, {@code
   * corrupt-image}, ...); the dead letter's reason reads {@code <reasonClass>: <detail>}.
   */
  public void reject(ConsumerRecord<String, byte[]> record, String reasonClass, String detail) {
    Objects.requireNonNull(reasonClass, "reasonClass");
    park(record, reasonClass, reasonClass + ": " + detail);
  }

  /** Records parked so far. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** Records parked so far per reason class, sorted by class. */
  public Map<String, Long> rejectedByReason() {
    Map<String, Long> counts = new TreeMap<>();
    rejectedByReason.forEach((reason, count) -> counts.put(reason, count.get()));
    return counts;
  }

  public String service() {
    return service;
  }

  private void park(ConsumerRecord<String, byte[]> record, String reasonClass, String reason) {
    DeadLetter letter = DeadLetters.of(record, reason, service, clock);
    String target = DeadLetters.topicFor(record.topic());
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    Parked parked = new Parked(producer.send(new ProducerRecord<>(target, record.key(), letter)), where, target,
        reason);
    if (deferAcknowledgements) {
      synchronized (unacknowledged) {
        unacknowledged.add(parked);
      }
    } else {
      await(parked);
    }
    rejected.incrementAndGet();
    long count =
        rejectedByReason.computeIfAbsent(reasonClass, r -> new AtomicLong()).incrementAndGet();
    if (count == 1 || count % logEvery == 0) {
      LOG.warn(
          "{} parked {} record(s) of class {} in {} so far; latest {}: {}",
          service,
          count,
          reasonClass,
          target,
          where,
          reason);
    }
  }

  /**
   * Waits until every dead letter parked so far is acknowledged; with deferred acknowledgements,
   * call it before committing past the records they came from (a no-op otherwise).
   *
   * @throws DeadLetterException naming the first record whose dead letter was not acknowledged
   */
  public void awaitParked() {
    List<Parked> pending;
    synchronized (unacknowledged) {
      pending = new ArrayList<>(unacknowledged);
      unacknowledged.clear();
    }
    for (Parked parked : pending) {
      await(parked);
    }
  }

  private void await(Parked parked) {
    try {
      parked.ack().get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("interrupted while parking " + parked.where() + " in " + parked.target(), e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new DeadLetterException("cannot park " + parked.where() + " in " + parked.target() + " ("
          + parked.reason() + "): " + cause, cause);
    }
  }

  /** Settings of a router: deserializer, producer and service are required. */
  public static final class Builder<V> {
    private Deserializer<V> deserializer;
    private Producer<String, DeadLetter> producer;
    private String service;
    private int logEvery = 1000;
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private boolean deferAcknowledgements;

    private Builder() {}

    /**
     * Send dead letters without waiting for each acknowledgement; the caller then calls {@link
     * #awaitParked()} before it commits past them (the trainer does, before each checkpoint, its
     * only commit point). Off by default: each park waits for its acknowledgement.
     */
    public Builder<V> optDeferredAcknowledgements(boolean defer) {
      this.deferAcknowledgements = defer;
      return this;
    }

    /** Decodes the values; an {@link io.rotnet.schemas.serde.AvroDeserializer} normally. */
    public Builder<V> setDeserializer(Deserializer<V> deserializer) {
      this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
      return this;
    }

    /** Writes the dead letters; see {@link DeadLetters#newProducer}. The caller closes it. */
    public Builder<V> setProducer(Producer<String, DeadLetter> producer) {
      this.producer = Objects.requireNonNull(producer, "producer");
      return this;
    }

    /** Name of the refusing service, written into every dead letter. */
    public Builder<V> setService(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Log every n-th record of a reason class (the first is always logged). Default 1000. */
    public Builder<V> optLogEvery(int n) {
      this.logEvery = n;
      return this;
    }

    /** How long to wait for a dead letter's acknowledgement. Default 30 s. */
    public Builder<V> optSendTimeout(Duration timeout) {
      this.sendTimeout = Objects.requireNonNull(timeout, "sendTimeout");
      return this;
    }

    /** Clock of the dead letters' {@code failedAt}. */
    public Builder<V> optClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public DeadLetterRouter<V> build() {
      if (deserializer == null) {
        throw new IllegalArgumentException("a deserializer is required (setDeserializer)");
      }
      if (producer == null) {
        throw new IllegalArgumentException("a dead-letter producer is required (setProducer)");
      }
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("a service name is required (setService)");
      }
      if (logEvery < 1) {
        throw new IllegalArgumentException("logEvery must be at least 1, got " + logEvery);
      }
      if (sendTimeout.isNegative() || sendTimeout.isZero()) {
        throw new IllegalArgumentException("sendTimeout must be positive, got " + sendTimeout);
      }
      return new DeadLetterRouter<>(this);
    }
  }
}
