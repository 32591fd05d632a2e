package io.rotnet.producer.bench;

import io.rotnet.producer.ProducerSettings;
import io.rotnet.producer.RotNetProducer;
import io.rotnet.producer.RunSummary;
import io.rotnet.producer.TopicSetup;
import io.rotnet.producer.augment.AugmentSettings;
import io.rotnet.producer.augment.AugmentedSample;
import io.rotnet.producer.augment.CropPlan;
import io.rotnet.producer.augment.RotNetAugmenter;
import io.rotnet.producer.augment.Seeds;
import io.rotnet.producer.decode.DecoderBackend;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RgbImage;
import io.rotnet.producer.encode.PixelEncoder;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.SourceEntry;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark P3: on the same images in one run, the producer's full path (decode, crop, flip,
 * rotate, serialize, send to Kafka and wait for the acknowledgements) against decoding alone,
 * with 1 and 2 workers, plus a per-stage breakdown and a comparison of decoders.
 */
public final class ProducerBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ProducerBenchmark.class);
  private static final String CLIENT_ID = "rotnet-bench-producer";

  private final ImageSource source;
  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final int size;
  private final PixelEncoding encoding;
  private final String compression;
  private final int rounds;
  private final ProcessClock clock = new ProcessClock();
  private ThreadSplit lastSplit;

  private ProducerBenchmark(Builder builder) {
    this.source = builder.source;
    this.bootstrapServers = builder.bootstrapServers;
    this.schemaRegistryUrl = builder.schemaRegistryUrl;
    this.size = builder.size;
    this.encoding = builder.encoding;
    this.compression = builder.compression;
    this.rounds = builder.rounds;
  }

  public static Builder builder() {
    return new Builder();
  }

  public ProducerBenchResult run() throws InterruptedException {
    ImageDecoder decoder = ImageDecoder.builder().build();
    LOG.info("warming up on {} images", source.size());
    stageTimes(decoder); // JIT warm-up; its figures are discarded
    double[] stages = stageTimes(decoder);

    List<List<RotatedImage>> prepared = preparedRecords(decoder);
    fullPath(1); // warms up the Kafka client, the broker and the serializer likewise
    sendOnly(prepared);
    // Alternating rounds, summed, so that a drifting load on a shared machine hits every path alike.
    Measurement decode1 = null;
    Measurement full1 = null;
    Measurement send = null;
    List<ThreadSplit> splits = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      decode1 = sum(decode1, decodeOnly(decoder, 1, "decode only"));
      full1 = sum(full1, fullPath(1));
      splits.add(lastSplit);
      send = sum(send, sendOnly(prepared));
    }
    Measurement decode2 = decodeOnly(decoder, 2, "decode only");
    Measurement full2 = fullPath(2);

    // Decoders: both warmed up, then measured twice in alternation so drift hits both alike.
    List<Measurement> decoders = new ArrayList<>();
    List<Measurement> cmyk = new ArrayList<>();
    byte[] cmykJpeg = cmykSample();
    DecoderBackend[] backends = DecoderBackend.values();
    ImageDecoder[] chosen = new ImageDecoder[backends.length];
    for (int b = 0; b < backends.length; b++) {
      chosen[b] = ImageDecoder.builder().optBackend(backends[b]).build();
      decodeOnly(chosen[b], 1, "warm-up");
    }
    Measurement[] first = new Measurement[backends.length];
    for (int round = 0; round < 2; round++) {
      for (int b = 0; b < backends.length; b++) {
        String name = backends[b].name().toLowerCase(Locale.ROOT) + " (ImageIO)";
        Measurement run = decodeOnly(chosen[b], 1, name);
        first[b] = round == 0 ? run : sum(first[b], run);
      }
    }
    for (int b = 0; b < backends.length; b++) {
      decoders.add(first[b]);
      cmyk.add(
          decodeRepeatedly(
              chosen[b], cmykJpeg, 50, backends[b].name().toLowerCase(Locale.ROOT) + ", CMYK JPEG 500x375"));
    }
    return new ProducerBenchResult(
        source.description(),
        size,
        encoding.name(),
        compression,
        Runtime.getRuntime().availableProcessors(),
        stages[0],
        stages[1],
        stages[2],
        stages[3],
        ThreadSplit.mean(splits),
        send,
        List.of(decode1, decode2),
        List.of(full1, full2),
        decoders,
        cmyk);
  }

  private static Measurement sum(Measurement a, Measurement b) {
    return a == null ? b : a.plus(b);
  }

  /**
   * Mean milliseconds per image, one thread, of: decoding the whole image (what decode-only
   * measures), and the producer's own stages: decoding just the crop's region, resize + flip +
   * rotations, and encode + Avro-serialize.
   */
  private double[] stageTimes(ImageDecoder decoder) {
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(size));
    PixelEncoder encoder = new PixelEncoder(encoding, 0.9f);
    SchemaRegistryClient registry = new SchemaRegistryClient(schemaRegistryUrl);
    String topic = "bench.producer.stages";
    long wholeNanos = 0;
    long regionNanos = 0;
    long augmentNanos = 0;
    long serializeNanos = 0;
    int done = 0;
    try (AvroSerializer<RotatedImage> serializer =
        AvroSerdes.serializer(Topics.IMAGES.named(topic), registry)) {
      for (int i = 0; i < source.size(); i++) {
        CropPlan plan = augmenter.plan(Seeds.forSample(0, 0, i));
        RgbImage region;
        long t0 = System.nanoTime();
        long t1;
        try {
          source.load(i, decoder);
          t1 = System.nanoTime();
          region = source.load(i, decoder, plan);
        } catch (ImageRejectedException e) {
          continue;
        }
        long t2 = System.nanoTime();
        AugmentedSample sample = augmenter.augmentRegion(region, plan);
        long t3 = System.nanoTime();
        SourceEntry entry = source.entry(i);
        for (int rotation = 0; rotation < 4; rotation++) {
          byte[] pixels = encoder.encode(sample.view(rotation), size, size);
          serializer.serialize(topic, record(entry, rotation, pixels));
        }
        long t4 = System.nanoTime();
        wholeNanos += t1 - t0;
        regionNanos += t2 - t1;
        augmentNanos += t3 - t2;
        serializeNanos += t4 - t3;
        done++;
      }
    }
    double n = Math.max(1, done) * 1e6;
    return new double[] {wholeNanos / n, regionNanos / n, augmentNanos / n, serializeNanos / n};
  }

  private RotatedImage record(SourceEntry entry, int rotation, byte[] pixels) {
    return RotatedImage.newBuilder()
        .setSampleId(entry.id() + "@0")
        .setSourceUri(entry.uri())
        .setSourceLabel(entry.label())
        .setEpoch(0)
        .setIndexInEpoch(0)
        .setDatasetSize(source.size())
        .setRotation(rotation)
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setEncoding(encoding)
        .setPixels(ByteBuffer.wrap(pixels))
        .setProducedAt(Instant.now())
        .build();
  }

  /** Reads and decodes every image on {@code threads} threads; nothing else. */
  private Measurement decodeOnly(ImageDecoder decoder, int threads, String name)
      throws InterruptedException {
    ProcessClock.CountingThreads counted = new ProcessClock.CountingThreads("bench-decode");
    ExecutorService pool = Executors.newFixedThreadPool(threads, counted);
    try {
      AtomicInteger next = new AtomicInteger();
      ProcessClock.Mark start = clock.mark();
      List<Future<Long>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        parts.add(
            pool.submit(
                () -> {
                  long checksum = 0;
                  for (int i = next.getAndIncrement(); i < source.size(); i = next.getAndIncrement()) {
                    try {
                      checksum += source.load(i, decoder).pixels()[0];
                    } catch (ImageRejectedException e) {
                      checksum--;
                    }
                  }
                  return checksum;
                }));
      }
      long checksum = 0;
      for (Future<Long> part : parts) {
        checksum += part.get();
      }
      pool.shutdown();
      long ownCpu = counted.awaitCpuNanos();
      Measurement result = clock.since(start, name, threads, source.size(), ownCpu);
      LOG.debug("{} x{} checksum {}", name, threads, checksum);
      return result;
    } catch (ExecutionException e) {
      throw new IllegalStateException("decode-only run failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Measurement decodeRepeatedly(ImageDecoder decoder, byte[] image, int times, String name) {
    try {
      decoder.decode(image); // warm-up
      ProcessClock.Mark start = clock.mark();
      long cpuBefore = clock.currentThreadCpu();
      for (int i = 0; i < times; i++) {
        decoder.decode(image);
      }
      return clock.since(start, name, 1, times, clock.currentThreadCpu() - cpuBefore);
    } catch (ImageRejectedException e) {
      return new Measurement(name + " (refused: " + e.reason() + ")", 1, 0, 1, 1, 1);
    }
  }

  private static byte[] cmykSample() {
    try {
      return BenchImages.cmykJpeg(500, 375, 7);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The four records of up to 50 images, for {@link #sendOnly}: made once, sent many times. */
  private List<List<RotatedImage>> preparedRecords(ImageDecoder decoder) {
    List<List<RotatedImage>> samples = new ArrayList<>();
    RotNetAugmenter augmenter = new RotNetAugmenter(AugmentSettings.rotnet(size));
    PixelEncoder encoder = new PixelEncoder(encoding, 0.9f);
    for (int i = 0; samples.size() < 50 && i < source.size(); i++) {
      try {
        AugmentedSample sample = augmenter.augment(source.load(i, decoder), Seeds.forSample(0, 0, i));
        List<RotatedImage> views = new ArrayList<>();
        for (int rotation = 0; rotation < 4; rotation++) {
          views.add(record(source.entry(i), rotation, encoder.encode(sample.view(rotation), size, size)));
        }
        samples.add(views);
      } catch (ImageRejectedException e) {
        // skipped, as the producer would
      }
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("every image to benchmark was refused");
    }
    return samples;
  }

  /**
   * The transport alone: the prepared records serialized and sent through a producer configured
   * as the real one, one image's four per source image, until acknowledged. Its CPU per image is
   * a floor under what the full path adds to decoding.
   */
  private Measurement sendOnly(List<List<RotatedImage>> samples) throws InterruptedException {
    String topic = "bench.producer.send." + System.nanoTime();
    ProducerSettings settings = settingsFor(topic, 1, CLIENT_ID + "-send");
    TopicSetup.ensureTopics(settings);
    String ioThreads = "kafka-producer-network-thread | " + CLIENT_ID + "-send";
    SchemaRegistryClient registry = new SchemaRegistryClient(schemaRegistryUrl);
    try (KafkaProducer<String, RotatedImage> producer =
        new KafkaProducer<>(
            settings.kafkaConfig(),
            new StringSerializer(),
            AvroSerdes.serializer(Topics.IMAGES.named(topic), registry))) {
      producer.send(new ProducerRecord<>(topic, "warm-up", samples.get(0).get(0))); // metadata
      producer.flush();
      long ioBefore = clock.cpuOfThreadsNamed(ioThreads);
      ProcessClock.Mark start = clock.mark();
      long senderBefore = clock.currentThreadCpu();
      int images = source.size();
      for (int i = 0; i < images; i++) {
        List<RotatedImage> views = samples.get(i % samples.size());
        for (RotatedImage view : views) {
          producer.send(new ProducerRecord<>(topic, view.getSampleId(), view));
        }
      }
      producer.flush();
      long sender = clock.currentThreadCpu() - senderBefore;
      long io = clock.cpuOfThreadsNamed(ioThreads) - ioBefore;
      return clock.since(start, "send only (records prepared)", 1, images, sender + io);
    }
  }

  /** One epoch through the real producer into a fresh topic, until every record is acknowledged. */
  private Measurement fullPath(int workerCount) throws InterruptedException {
    ProducerSettings settings =
        settingsFor("bench.producer.w" + workerCount + "." + System.nanoTime(), workerCount, CLIENT_ID);
    ProcessClock.CountingThreads workerThreads = new ProcessClock.CountingThreads("bench-worker");
    try (RotNetProducer producer =
        RotNetProducer.connect(settings, source).optWorkerThreads(workerThreads).build()) {
      String ioThreads = "kafka-producer-network-thread | " + CLIENT_ID;
      long ioBefore = clock.cpuOfThreadsNamed(ioThreads);
      ProcessClock.Mark start = clock.mark();
      long senderBefore = clock.currentThreadCpu();
      RunSummary summary = producer.run();
      long sender = clock.currentThreadCpu() - senderBefore;
      long io = clock.cpuOfThreadsNamed(ioThreads) - ioBefore;
      long workers = workerThreads.awaitCpuNanos();
      lastSplit = ThreadSplit.perImage(summary.imagesSent(), workers, sender, io);
      Measurement result =
          clock.since(start, "full path (acknowledged)", workerCount, summary.imagesSent(), workers + sender + io);
      if (summary.recordsAcked() != 4 * summary.imagesSent()) {
        throw new IllegalStateException(
            "only " + summary.recordsAcked() + " of " + 4 * summary.imagesSent() + " records acknowledged");
      }
      return result;
    }
  }

  private ProducerSettings settingsFor(String topic, int workerCount, String clientId) {
    return ProducerSettings.builder()
        .setSource(java.nio.file.Path.of("."))
        .setBootstrapServers(bootstrapServers)
        .setSchemaRegistryUrl(schemaRegistryUrl)
        .optTopic(topic)
        .optSize(size)
        .optEncoding(encoding)
        .optCompression(compression)
        .optWorkers(workerCount)
        .optEpochs(1)
        .optClientId(clientId)
        .build();
  }

  /** Builder: the images and the Kafka addresses are required. */
  public static final class Builder {
    private ImageSource source;
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private int size = AugmentSettings.DEFAULT_SIZE;
    private PixelEncoding encoding = PixelEncoding.RAW_RGB8;
    private String compression = "lz4";
    private int rounds = 3;

    private Builder() {}

    public Builder setSource(ImageSource source) {
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

    public Builder optSize(int size) {
      this.size = size;
      return this;
    }

    public Builder optEncoding(PixelEncoding encoding) {
      this.encoding = encoding;
      return this;
    }

    public Builder optCompression(String compression) {
      this.compression = compression;
      return this;
    }

    /** Rounds of (decode only, full path, send only) with 1 worker, summed; default 3. */
    public Builder optRounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    public ProducerBenchmark build() {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(bootstrapServers, "bootstrap servers");
      Objects.requireNonNull(schemaRegistryUrl, "schema registry URL");
      Objects.requireNonNull(encoding, "encoding");
      if (source.size() == 0) {
        throw new IllegalArgumentException("no images to benchmark");
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
      }
      return new ProducerBenchmark(this);
    }
  }
}
