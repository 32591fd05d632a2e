package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import io.rotnet.schemas.serde.AvroSerializer;
import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Bad records are injected at a steady rate into the image topic while the producer writes it
 * (garbage bytes, truncated Avro, a record of another schema, an image of the wrong size), and
 * a trainer then trains on it; side by side, the same trainer trains on a clean copy of the same
 * good records (clean, dirty, clean again, so that a change of load hits both). Checked: every
 * bad record the trainer read is dead-lettered with the reason of its kind and no good record is;
 * the trainer finishes and trains on every good record; its time on the dirty topic is within 10%
 * of the clean runs'.
 */
final class BadInputScenario implements FaultScenario {
  /** Each kind of bad record and the reason class its dead letter must carry. */
  enum Kind {
    GARBAGE("not-confluent-framing"),
    TRUNCATED("truncated-avro"),
    WRONG_SCHEMA("incompatible-schema"),
    WRONG_SIZE("wrong-shape");

    final String reason;

    Kind(String reason) {
      this.reason = reason;
    }
  }

  private static final int BATCH = 16;
  private static final int EPOCHS = 2;
  private final long injectEveryMillis;
  private final boolean timed;
  private final long timeoutSeconds;

  /**
   * @param timed also time the trainer on both topics, side by side (three runs each after a
   *     warm-up); untimed, one run on the dirty topic checks the dead letters only
   */
  BadInputScenario(long injectEveryMillis, boolean timed, long timeoutSeconds) {
    this.injectEveryMillis = injectEveryMillis;
    this.timed = timed;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "bad-input";
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out) throws Exception {
    String clean = "faults.bad.clean";
    String dirty = "faults.bad.dirty";
    if (timed) {
      FaultWorkloads.produceImages(stack, scratch, clean, EPOCHS, timeoutSeconds);
    }
    List<Kind> injected = new ArrayList<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread injector = new Thread(() -> inject(stack, dirty, producing, injected, random), "bad-input-injector");
    stack.createTopic(dirty, 1);
    injector.start();
    try {
      FaultWorkloads.produceImages(stack, scratch, dirty, EPOCHS, timeoutSeconds);
    } finally {
      producing.set(false);
      injector.join();
    }
    Map<Kind, Long> byKind = injected.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    String fault = injected.size() + " bad records injected every " + injectEveryMillis + " ms while the producer ran "
        + byKind;
    out.printf("  injected %s%n", fault);

    long steps = EPOCHS * 4000 / BATCH;
    Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
    // an untimed warm-up, then clean and dirty in turn, so that JIT and load changes hit both
    String[] topics = timed ? new String[] {clean, clean, dirty, clean, dirty, clean, dirty} : new String[] {dirty};
    long[] millis = new long[topics.length];
    int[] exits = new int[topics.length];
    for (int i = 0; i < topics.length; i++) {
      Path log = scratch.resolve("train-" + i + ".log");
      long start = System.nanoTime();
      exits[i] = InProcess.run(log, FaultWorkloads.trainArgs(stack, topics[i], checkpoints, "bad-" + i, steps, steps));
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      out.printf("  trainer on %s%s: exit %d, %.1f s%n", topics[i], timed && i == 0 ? " (warm-up)" : "", exits[i],
          millis[i] / 1000.0);
    }
    int dirtyRuns = timed ? 3 : 1;
    String dirtyLog = Files.readString(scratch.resolve(timed ? "train-2.log" : "train-0.log"));
    long trainedImages = TrainerKillScenario.summaryFigure(dirtyLog, 2);
    long refused = TrainerKillScenario.summaryFigure(dirtyLog, 3);
    List<DeadLetter> letters = TopicCounts.readAll(stack, Topics.IMAGES_DLQ.named(Topics.deadLetterTopic(dirty)));
    List<String> wrong = new ArrayList<>();
    Map<String, Long> perKey = new java.util.HashMap<>();
    for (DeadLetter letter : letters) {
      String key = letter.getKey() == null ? "" : letter.getKey().toString();
      perKey.merge(key, 1L, Long::sum);
      Kind kind = key.startsWith("bad-") ? Kind.valueOf(key.substring(4, key.lastIndexOf('-'))) : null;
      if (kind == null || !letter.getReason().toString().startsWith(kind.reason)) {
        wrong.add(key + " -> " + letter.getReason());
      }
    }
    boolean oncePerRun = perKey.values().stream().allMatch(n -> n == dirtyRuns);
    List<Invariant> invariants = new ArrayList<>(List.of(
        Invariant.check("every service finishes", Arrays.stream(exits).allMatch(e -> e == 0),
            "trainer exits " + Arrays.toString(exits)),
        Invariant.check("every bad record read is dead-lettered with its reason, no good one is",
            wrong.isEmpty() && oncePerRun && letters.size() == dirtyRuns * refused && refused > 0
                && refused <= injected.size(),
            letters.size() + " dead letter(s) from " + dirtyRuns + " trainer runs of " + injected.size()
                + " injected records, each run refused " + refused
                + (wrong.isEmpty() ? "" : "; wrong: " + wrong.subList(0, Math.min(5, wrong.size())))),
        Invariant.check("every good record is trained on", trainedImages == steps * BATCH,
            trainedImages + " of " + steps * BATCH + " images")));
    if (timed) {
      // best of each: this machine's run-to-run spread (10-30%) is larger than the cost measured
      long bestClean = Math.min(millis[1], Math.min(millis[3], millis[5]));
      long bestDirty = Math.min(millis[2], Math.min(millis[4], millis[6]));
      double ratio = bestDirty / (double) bestClean;
      invariants.add(Invariant.check("good-record throughput within 10% of a clean run", ratio <= 1.10,
          String.format(java.util.Locale.ROOT, "best of 3: dirty %.1f s against clean %.1f s, %.3f of the time",
              bestDirty / 1000.0, bestClean / 1000.0, ratio)));
    }
    return new ScenarioReport(name(), List.of(fault), TopicCounts.size(stack, dirty), trainedImages + refused,
        refused, injected.size(), perKey.size(), invariants);
  }

  /** Sends one bad record every {@code injectEveryMillis} while {@code producing}, the kinds in turn. */
  private void inject(EmbeddedStack stack, String topic, AtomicBoolean producing, List<Kind> injected,
      Random random) {
    SchemaRegistryClient registry = stack.newRegistryClient();
    AvroSerializer<RotatedImage> images = AvroSerdes.serializer(Topics.IMAGES.named(topic), registry);
    byte[] image = images.serialize(topic, image(32));
    byte[] large = images.serialize(topic, image(256));
    byte[] other = AvroSerdes.serializer(Topics.CHECKPOINTS, registry).serialize(Topics.CHECKPOINTS.name(),
        checkpointEvent());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      int n = 0;
      while (producing.get()) {
        Kind kind = Kind.values()[n % Kind.values().length];
        byte[] value = switch (kind) {
          case GARBAGE -> garbage(random);
          case TRUNCATED -> Arrays.copyOf(image, image.length / 2);
          case WRONG_SCHEMA -> other;
          case WRONG_SIZE -> large;
        };
        producer.send(new ProducerRecord<>(topic, "bad-" + kind + "-" + n, value));
        synchronized (injected) {
          injected.add(kind);
        }
        n++;
        try {
          Thread.sleep(injectEveryMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      producer.flush();
    }
  }

  private static byte[] garbage(Random random) {
    byte[] bytes = new byte[64 + random.nextInt(256)];
    random.nextBytes(bytes);
    bytes[0] = 7; // never the magic byte
    return bytes;
  }

  private static RotatedImage image(int side) {
    return RotatedImage.newBuilder()
        .setSampleId("bad@0").setSourceUri("injected").setEpoch(0).setIndexInEpoch(0).setDatasetSize(1)
        .setRotation(0).setHeight(side).setWidth(side).setChannels(3).setEncoding(PixelEncoding.RAW_RGB8)
        .setPixels(ByteBuffer.wrap(new byte[side * side * 3])).setProducedAt(Instant.now())
        .build();
  }

  private static CheckpointEvent checkpointEvent() {
    return CheckpointEvent.newBuilder()
        .setCheckpointId("bad-step-1").setRunId("bad").setStep(1).setEpoch(0).setImagesSeen(0)
        .setUri("file:/nowhere").setSha256("0".repeat(64)).setSizeBytes(0).setArchitecture("resnet18-w16")
        .setInputSize(32).setPreset("none").setPretextLoss(0).setPretextAccuracy(0).setConsumedOffsets(List.of())
        .setCreatedAt(Instant.now())
        .build();
  }
}
