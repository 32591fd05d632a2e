package io.rotnet.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.producer.augment.AugmentSettings;
import io.rotnet.producer.augment.RotNetAugmenter;
import io.rotnet.producer.augment.Seeds;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RgbImage;
import io.rotnet.producer.source.ImageSource;
import io.rotnet.producer.source.ImageSources;
import io.rotnet.producer.source.SourceEntry;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedStackExtension.class)
class RotNetProducerKafkaTest {

  private static final int SIZE = 32;
  private static final List<String> GOOD =
      List.of(
          "photos/rgb.jpg",
          "photos/rgb.png",
          "photos/cmyk.jpg",
          "graphics/gray-alpha.png",
          "graphics/palette.png",
          "graphics/gray16.png",
          "graphics/anim.gif",
          "graphics/plain.bmp");
  private static final List<String> BAD =
      List.of("broken/corrupt.jpg", "broken/truncated.png", "broken/notes.jpg", "broken/bomb.png");

  @TempDir static Path folder;

  @BeforeAll
  static void writeImages() {
    TestImages.writeFile(folder.resolve("photos/rgb.jpg"), TestImages.jpeg(TestImages.rgbPicture(120, 90)));
    TestImages.writeFile(folder.resolve("photos/rgb.png"), TestImages.png(TestImages.rgbPicture(64, 80)));
    TestImages.writeFile(folder.resolve("photos/cmyk.jpg"), TestImages.cmykJpeg(48, 40));
    TestImages.writeFile(folder.resolve("graphics/gray-alpha.png"), TestImages.grayAlphaPng(50, 50));
    TestImages.writeFile(folder.resolve("graphics/palette.png"), TestImages.palettePng(40, 30));
    TestImages.writeFile(folder.resolve("graphics/gray16.png"), TestImages.gray16Png(60, 20));
    TestImages.writeFile(folder.resolve("graphics/anim.gif"), TestImages.write(TestImages.rgbPicture(30, 30), "gif"));
    TestImages.writeFile(folder.resolve("graphics/plain.bmp"), TestImages.write(TestImages.rgbPicture(33, 17), "bmp"));
    TestImages.writeFile(folder.resolve("broken/corrupt.jpg"), TestImages.corruptJpeg(200, 150));
    TestImages.writeFile(folder.resolve("broken/truncated.png"), TestImages.truncatedPng(200, 150));
    TestImages.writeFile(folder.resolve("broken/notes.jpg"), TestImages.textFile());
    TestImages.writeFile(folder.resolve("broken/bomb.png"), TestImages.pngClaiming(30000, 30000));
  }

  private static ProducerSettings.Builder settings(EmbeddedStack stack, String topic) {
    return ProducerSettings.builder()
        .setSource(folder)
        .setBootstrapServers(stack.bootstrapServers())
        .setSchemaRegistryUrl(stack.schemaRegistryUrl())
        .optTopic(topic)
        .optSize(SIZE)
        .optWorkers(2)
        .optSeed(11)
        .optLingerMs(5);
  }

  @Test
  void everyGoodImageGivesFourViewsAndEveryBadFileOneDeadLetter(EmbeddedStack stack) throws Exception {
    String topic = "images.folder";
    RunSummary summary;
    try (RotNetProducer producer = RotNetProducer.open(settings(stack, topic).optPartitions(3).build())) {
      summary = producer.run();
    }
    assertThat(summary.imagesSent()).isEqualTo(GOOD.size());
    assertThat(summary.refused()).isEqualTo(BAD.size());
    assertThat(summary.recordsAcked()).isEqualTo(4L * GOOD.size());

    List<ConsumerRecord<String, RotatedImage>> records = read(stack, topic, RotatedImage.class);
    assertThat(records).hasSize(4 * GOOD.size());
    Map<String, List<ConsumerRecord<String, RotatedImage>>> bySample = groupByKey(records);
    assertThat(bySample.keySet())
        .containsExactlyInAnyOrderElementsOf(GOOD.stream().map(id -> id + "@0").toList());
    Set<Long> positions = new java.util.HashSet<>();
    for (List<ConsumerRecord<String, RotatedImage>> views : bySample.values()) {
      // one partition, consecutive offsets, rotations 0..3 in order
      assertThat(views).extracting(ConsumerRecord::partition).containsOnly(views.get(0).partition());
      long first = views.get(0).offset();
      assertThat(views).extracting(ConsumerRecord::offset).containsExactly(first, first + 1, first + 2, first + 3);
      assertThat(views).extracting(r -> r.value().getRotation()).containsExactly(0, 1, 2, 3);
      for (ConsumerRecord<String, RotatedImage> view : views) {
        RotatedImage image = view.value();
        assertThat(image.getWidth()).isEqualTo(SIZE);
        assertThat(image.getHeight()).isEqualTo(SIZE);
        assertThat(image.getChannels()).isEqualTo(3);
        assertThat(image.getEncoding()).isEqualTo(PixelEncoding.RAW_RGB8);
        assertThat(image.getPixels().remaining()).isEqualTo(SIZE * SIZE * 3);
        assertThat(image.getEpoch()).isZero();
        assertThat(image.getDatasetSize()).isEqualTo(GOOD.size() + BAD.size());
        assertThat(image.getSourceLabel()).isEqualTo(image.getSampleId().substring(0, image.getSampleId().indexOf('/')));
      }
      positions.add(views.get(0).value().getIndexInEpoch());
    }
    assertThat(positions).hasSize(GOOD.size()).allSatisfy(p -> assertThat(p).isBetween(0L, 11L));

    List<ConsumerRecord<String, DeadLetter>> letters = read(stack, topic + ".dlq", DeadLetter.class);
    assertThat(letters).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(BAD);
    for (ConsumerRecord<String, DeadLetter> letter : letters) {
      assertThat(letter.value().getReason()).isNotBlank();
      assertThat(letter.value().getService()).isEqualTo("producer");
      assertThat(letter.value().getOrigin()).startsWith("file:").endsWith(letter.key());
      assertThat(letter.value().getExcerpt().remaining()).isBetween(1, 256);
    }
    assertThat(reasonOf(letters, "broken/bomb.png")).contains("30000x30000");
    assertThat(reasonOf(letters, "broken/notes.jpg")).contains("not a supported image");
  }

  @Test
  void viewsArePixelExactCropsAndRotationsOfTheSourceImage(EmbeddedStack stack) throws Exception {
    String topic = "images.exact";
    try (RotNetProducer producer = RotNetProducer.open(settings(stack, topic).build())) {
      producer.run();
    }
    Map<String, List<ConsumerRecord<String, RotatedImage>>> bySample =
        groupByKey(read(stack, topic, RotatedImage.class));
    List<ConsumerRecord<String, RotatedImage>> views = bySample.get("photos/rgb.png@0");

    // Recompute the upright crop independently of the producer's pipeline.
    ImageSource source = ImageSources.open(folder);
    int index = indexOf(source, "photos/rgb.png");
    RgbImage decoded = source.load(index, ImageDecoder.builder().build());
    byte[] expectedUpright =
        new RotNetAugmenter(AugmentSettings.rotnet(SIZE)).augment(decoded, Seeds.forSample(11, 0, index)).view(0);
    byte[] upright = bytes(views.get(0).value().getPixels());
    assertThat(upright).isEqualTo(expectedUpright);

    // Rotation 1 is 90 degrees counter-clockwise: output (row, col) = input (col, SIZE-1-row).
    byte[] quarter = bytes(views.get(1).value().getPixels());
    for (int row = 0; row < SIZE; row++) {
      for (int col = 0; col < SIZE; col++) {
        for (int c = 0; c < 3; c++) {
          assertThat(quarter[(row * SIZE + col) * 3 + c])
              .isEqualTo(upright[(col * SIZE + (SIZE - 1 - row)) * 3 + c]);
        }
      }
    }
    byte[] half = bytes(views.get(2).value().getPixels());
    assertThat(half[0]).isEqualTo(upright[upright.length - 3]);
  }

  @Test
  void sameSeedGivesIdenticalRecordsWhateverTheWorkerCount(EmbeddedStack stack) throws Exception {
    try (RotNetProducer one = RotNetProducer.open(settings(stack, "images.seed-a").optWorkers(1).optEpochs(2).build())) {
      one.run();
    }
    try (RotNetProducer three = RotNetProducer.open(settings(stack, "images.seed-b").optWorkers(3).optEpochs(2).build())) {
      three.run();
    }
    try (RotNetProducer other = RotNetProducer.open(settings(stack, "images.seed-c").optSeed(12).optEpochs(2).build())) {
      other.run();
    }
    List<String> a = fingerprints(read(stack, "images.seed-a", RotatedImage.class));
    List<String> b = fingerprints(read(stack, "images.seed-b", RotatedImage.class));
    List<String> c = fingerprints(read(stack, "images.seed-c", RotatedImage.class));
    assertThat(a).hasSize(2 * 4 * GOOD.size());
    assertThat(b).isEqualTo(a);
    assertThat(c).hasSameSizeAs(a).isNotEqualTo(a);
    // bad files are refused once, not once per epoch
    assertThat(read(stack, "images.seed-a.dlq", DeadLetter.class)).hasSize(BAD.size());
  }

  @Test
  void stopMidRunFlushesAndLosesNothingAcknowledged(EmbeddedStack stack) throws Exception {
    Path idx = Path.of("..", "data", "fashion-mnist-mini", "train-images-idx3-ubyte.gz");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger maxOutstanding = new AtomicInteger();
    ProducerSettings settings =
        settings(stack, "images.stop").setSource(idx).optEpochs(0).optWorkers(2).optInFlightSamples(6).build();
    AtomicReference<RotNetProducer> running = new AtomicReference<>();
    ImageSource counting = countingSource(ImageSources.open(idx), maxOutstanding, running);
    try (RotNetProducer producer =
        RotNetProducer.connect(settings, counting)
            .optAckListener((key, rotation, metadata) ->
                acknowledged.add(metadata.partition() + ":" + metadata.offset() + ":" + key + ":" + rotation))
            .build()) {
      running.set(producer);
      ExecutorService runner = Executors.newSingleThreadExecutor();
      Future<RunSummary> run = runner.submit(producer::run);
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 400);
      producer.stop();
      RunSummary summary = run.get(60, TimeUnit.SECONDS);
      runner.shutdown();
      assertThat(summary.stoppedEarly()).isTrue();
      assertThat(summary.completedEpochs()).isZero();
      assertThat(summary.recordsAcked()).isEqualTo(4 * summary.imagesSent());
    }
    List<ConsumerRecord<String, RotatedImage>> records = read(stack, "images.stop", RotatedImage.class);
    Set<String> inTopic =
        records.stream()
            .map(r -> r.partition() + ":" + r.offset() + ":" + r.key() + ":" + r.value().getRotation())
            .collect(Collectors.toSet());
    assertThat(inTopic).containsAll(acknowledged);
    assertThat(records).hasSize(acknowledged.size());
    // no crop is cut short: every sample has its four views
    assertThat(groupByKey(records).values()).allSatisfy(views -> assertThat(views).hasSize(4));
    assertThat(maxOutstanding.get()).isLessThanOrEqualTo(6);
  }

  /** Wraps a source to record the most images loaded but not yet sent at any moment. */
  private static ImageSource countingSource(
      ImageSource delegate, AtomicInteger maxOutstanding, AtomicReference<RotNetProducer> running) {
    AtomicInteger loads = new AtomicInteger();
    return new ImageSource() {
      @Override
      public int size() {
        return delegate.size();
      }

      @Override
      public SourceEntry entry(int index) {
        return delegate.entry(index);
      }

      @Override
      public RgbImage load(int index, ImageDecoder decoder) throws ImageRejectedException {
        int started = loads.incrementAndGet();
        RotNetProducer producer = running.get();
        long sent = producer == null ? 0 : producer.stats().snapshot().imagesSent();
        maxOutstanding.accumulateAndGet((int) (started - sent), Math::max);
        return delegate.load(index, decoder);
      }

      @Override
      public String description() {
        return delegate.description();
      }
    };
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, V>> read(
      EmbeddedStack stack, String topic, Class<V> type) {
    return TopicReader.readAll(stack.bootstrapServers(), stack.schemaRegistryUrl(), topic, type);
  }

  private static Map<String, List<ConsumerRecord<String, RotatedImage>>> groupByKey(
      List<ConsumerRecord<String, RotatedImage>> records) {
    Map<String, List<ConsumerRecord<String, RotatedImage>>> bySample = new LinkedHashMap<>();
    for (ConsumerRecord<String, RotatedImage> record : records) {
      bySample.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
    }
    return bySample;
  }

  private static String reasonOf(List<ConsumerRecord<String, DeadLetter>> letters, String key) {
    return letters.stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow().value().getReason();
  }

  private static int indexOf(ImageSource source, String id) {
    for (int i = 0; i < source.size(); i++) {
      if (source.entry(i).id().equals(id)) {
        return i;
      }
    }
    throw new AssertionError(id + " not in source");
  }

  /** Everything of a record but the production time, in topic order. */
  private static List<String> fingerprints(List<ConsumerRecord<String, RotatedImage>> records) {
    return records.stream()
        .map(r -> {
          RotatedImage v = r.value();
          return r.key() + "|" + v.getEpoch() + "|" + v.getIndexInEpoch() + "|" + v.getRotation() + "|"
              + v.getSourceUri() + "|" + v.getSourceLabel() + "|" + v.getDatasetSize() + "|"
              + java.util.Arrays.hashCode(bytes(v.getPixels())) + "|" + v.getPixels().remaining();
        })
        .toList();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
