package io.rotnet.producer;

import io.rotnet.producer.augment.AugmentSettings;
import io.rotnet.producer.decode.DecoderBackend;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.PixelEncoding;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Everything the producer service needs, validated once. Built with {@link #builder()}:
 * {@code setX} for required values, {@code optX} for values with a default.
 */
public record ProducerSettings(
    Path source,
    Path idxLabels,
    String topic,
    int partitions,
    AugmentSettings augment,
    int epochs,
    int workers,
    int inFlightSamples,
    long seed,
    PixelEncoding encoding,
    float jpegQuality,
    double imagesPerSecond,
    long maxPixels,
    DecoderBackend decoderBackend,
    String compression,
    int lingerMs,
    int batchBytes,
    String bootstrapServers,
    String schemaRegistryUrl,
    String clientId) {

  /** Compression codecs Kafka producers accept. */
  public static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  /** The broker's default limit on one record batch; a raw view must fit well inside it. */
  static final int BROKER_MESSAGE_LIMIT = 1_048_588;

  public ProducerSettings {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(augment, "augment");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(decoderBackend, "decoderBackend");
    requireText(topic, "topic");
    requireText(bootstrapServers, "bootstrap servers");
    requireText(schemaRegistryUrl, "schema registry URL");
    requireText(clientId, "client id");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be 0 (until stopped) or more, got " + epochs);
    }
    if (workers < 1 || workers > 256) {
      throw new IllegalArgumentException("workers must be in 1..256, got " + workers);
    }
    if (inFlightSamples < workers) {
      throw new IllegalArgumentException(
          "in-flight samples (" + inFlightSamples + ") must be at least the worker count (" + workers + ")");
    }
    if (!(jpegQuality > 0 && jpegQuality <= 1)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + jpegQuality);
    }
    if (!(imagesPerSecond >= 0) || Double.isInfinite(imagesPerSecond)) {
      throw new IllegalArgumentException("rate must be 0 (unlimited) or positive, got " + imagesPerSecond);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("max pixels must be at least 1, got " + maxPixels);
    }
    compression = compression == null ? "" : compression.toLowerCase(Locale.ROOT);
    if (!COMPRESSIONS.contains(compression)) {
      throw new IllegalArgumentException("compression must be one of " + COMPRESSIONS + ", got " + compression);
    }
    if (lingerMs < 0) {
      throw new IllegalArgumentException("linger must not be negative, got " + lingerMs);
    }
    if (batchBytes < 16 * 1024) {
      throw new IllegalArgumentException("batch size must be at least 16 KiB, got " + batchBytes);
    }
    long rawView = 3L * augment.size() * augment.size();
    if (encoding == PixelEncoding.RAW_RGB8 && rawView + 4096 > BROKER_MESSAGE_LIMIT) {
      throw new IllegalArgumentException(
          "a raw " + augment.size() + "x" + augment.size() + " view is " + rawView
              + " bytes, over the broker's 1 MiB message limit: use a smaller size or PNG/JPEG");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when the run has no epoch limit and goes on until stopped. */
  public boolean runsUntilStopped() {
    return epochs == 0;
  }

  /** The dead-letter topic of the image topic. */
  public String deadLetterTopic() {
    return Topics.deadLetterTopic(topic);
  }

  /** A decoder with this run's pixel limit and backend. */
  public ImageDecoder decoder() {
    return ImageDecoder.builder().optMaxPixels(maxPixels).optBackend(decoderBackend).build();
  }

  /**
   * Kafka producer configuration: idempotent with acks=all so a retry neither duplicates nor
   * reorders the four views of a crop; batches sized for records of 40-150 KB.
   */
  public Map<String, Object> kafkaConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return config;
  }

  /** Builder with the RotNet defaults. */
  public static final class Builder {
    private Path source;
    private Path idxLabels;
    private String topic = Topics.IMAGES.name();
    private int partitions = 1;
    private AugmentSettings augment = AugmentSettings.rotnet(AugmentSettings.DEFAULT_SIZE);
    private int epochs = 1;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Integer inFlightSamples;
    private long seed;
    private PixelEncoding encoding = PixelEncoding.RAW_RGB8;
    private float jpegQuality = 0.9f;
    private double imagesPerSecond;
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
    private DecoderBackend decoderBackend = DecoderBackend.TWELVEMONKEYS;
    private String compression = "lz4";
    private int lingerMs = 20;
    private int batchBytes = 512 * 1024;
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private String clientId = "rotnet-producer";

    private Builder() {}

    /** Folder, IDX file or list file of images. */
    public Builder setSource(Path source) {
      this.source = source;
      return this;
    }

    public Builder setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder setSchemaRegistryUrl(String schemaRegistryUrl) {
      this.schemaRegistryUrl = schemaRegistryUrl;
      return this;
    }

    /** Labels file for an IDX source when it is not the sibling {@code *-labels-idx1-*}. */
    public Builder optIdxLabels(Path idxLabels) {
      this.idxLabels = idxLabels;
      return this;
    }

    public Builder optTopic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Partitions of the topic when the producer creates it (default 1). */
    public Builder optPartitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Output size of the crops (default 224). */
    public Builder optSize(int size) {
      this.augment = augment.withSize(size);
      return this;
    }

    public Builder optAugment(AugmentSettings augment) {
      this.augment = augment;
      return this;
    }

    /** Passes over the source; 0 runs until stopped (default 1). */
    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Decode workers (default: the number of cores). */
    public Builder optWorkers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Samples decoded or waiting to be sent at once (default 2 x workers + 2): bounds memory. */
    public Builder optInFlightSamples(int inFlightSamples) {
      this.inFlightSamples = inFlightSamples;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optEncoding(PixelEncoding encoding) {
      this.encoding = encoding;
      return this;
    }

    public Builder optJpegQuality(float jpegQuality) {
      this.jpegQuality = jpegQuality;
      return this;
    }

    /** Source images per second; 0 for no limit (default). */
    public Builder optImagesPerSecond(double imagesPerSecond) {
      this.imagesPerSecond = imagesPerSecond;
      return this;
    }

    public Builder optMaxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    public Builder optDecoderBackend(DecoderBackend decoderBackend) {
      this.decoderBackend = decoderBackend;
      return this;
    }

    /** none, gzip, snappy, lz4 (default) or zstd. */
    public Builder optCompression(String compression) {
      this.compression = compression;
      return this;
    }

    public Builder optLingerMs(int lingerMs) {
      this.lingerMs = lingerMs;
      return this;
    }

    public Builder optBatchBytes(int batchBytes) {
      this.batchBytes = batchBytes;
      return this;
    }

    public Builder optClientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public ProducerSettings build() {
      return new ProducerSettings(
          source,
          idxLabels,
          topic,
          partitions,
          augment,
          epochs,
          workers,
          inFlightSamples == null ? 2 * workers + 2 : inFlightSamples,
          seed,
          encoding,
          jpegQuality,
          imagesPerSecond,
          maxPixels,
          decoderBackend,
          compression,
          lingerMs,
          batchBytes,
          bootstrapServers,
          schemaRegistryUrl,
          clientId);
    }
  }
}
