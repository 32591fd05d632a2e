package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.schemas.serde.AvroSerdes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The producer, a child JVM writing one epoch at a limited rate, is killed with SIGKILL mid-epoch
 * and started again (it produces its epoch again from the start, as docs/ARCHITECTURE.md says).
 * Then a trainer reads the whole topic. Checked, from the topic itself: the records the killed run
 * left that do not make up four views of a crop (a group cut by the kill) are exactly what the
 * trainer dead-letters, each as an incomplete group; the trainer trains on complete groups only;
 * its own refusal count says what it dropped; the restarted producer's epoch is all there.
 */
final class ProducerKillScenario implements FaultScenario {
  private static final Pattern ACKED = Pattern.compile("as (\\d+) acknowledged record\\(s\\)");
  private static final int BATCH = 16;

  private final int kills;
  private final long timeoutSeconds;

  /** {@code kills} SIGKILLs of the producer, each of a fresh start, before it is left to finish. */
  ProducerKillScenario(int kills, long timeoutSeconds) {
    this.kills = kills;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String name() {
    return "producer-sigkill";
  }

  @Override
  public ScenarioReport run(EmbeddedStack stack, Path scratch, Random random, PrintWriter out) throws Exception {
    String topic = "faults.producer.images";
    List<String> limited = new ArrayList<>(FaultWorkloads.produceArgs(stack, topic, 1));
    // fast enough that a Kafka batch holds parts of several crops, so a kill can cut a group
    limited.addAll(List.of("--rate", "400"));
    List<String> faults = new ArrayList<>();
    List<Long> segmentEnds = new ArrayList<>();
    boolean allMidEpoch = true;
    for (int k = 0; k < kills; k++) {
      long before = TopicCounts.size(stack, topic);
      long delay = 500 + random.nextInt(1500);
      Path log = scratch.resolve("produce-killed-" + k + ".log");
      try (ChildJvm producer = ChildJvm.start(log, limited)) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (TopicCounts.size(stack, topic) == before && producer.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(delay);
        producer.kill();
      }
      long after = TopicCounts.size(stack, topic);
      segmentEnds.add(after);
      allMidEpoch &= after - before < 4000;
      String fault = "SIGKILL " + (k + 1) + " of the producer " + delay + " ms after its first record, "
          + (after - before) + " of its epoch's 4000 records written";
      faults.add(fault);
      out.printf("  injected %s%n", fault);
    }
    long killedRecords = TopicCounts.size(stack, topic);
    Path secondLog = scratch.resolve("produce-restarted.log");
    int restarted = InProcess.run(secondLog, FaultWorkloads.produceArgs(stack, topic, 1));
    Matcher acked = ACKED.matcher(Files.readString(secondLog));
    long acknowledged = acked.find() ? Long.parseLong(acked.group(1)) : -1;
    long total = TopicCounts.size(stack, topic);
    out.printf("  restarted producer exited %d after %d acknowledged records; %d in the topic%n", restarted,
        acknowledged, total);

    long cut = 0;
    long start = 0;
    for (long end : segmentEnds) {
      cut += cutViews(stack, topic, start, end);
      start = end;
    }
    long completeGroups = (total - cut) / 4;
    long steps = completeGroups * 4 / BATCH;
    Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
    String trainLog = scratch.resolve("train.log").toString();
    int trained = InProcess.run(Path.of(trainLog),
        FaultWorkloads.trainArgs(stack, topic, checkpoints, "after-kill", steps, steps));
    String log = Files.readString(Path.of(trainLog));
    long images = TrainerKillScenario.summaryFigure(log, 2);
    long refused = TrainerKillScenario.summaryFigure(log, 3);
    List<DeadLetter> letters = TopicCounts.readAll(stack, Topics.IMAGES_DLQ.named(Topics.deadLetterTopic(topic)));
    long incomplete = letters.stream().filter(l -> l.getReason().toString().contains("incomplete")).count();

    List<Invariant> invariants = List.of(
        Invariant.check("the kills landed mid-epoch", allMidEpoch, faults.size() + " kill(s), " + cut
            + " view(s) left in cut groups"),
        Invariant.check("the restarted producer's epoch is all there", restarted == 0 && acknowledged == 4000
                && total == killedRecords + acknowledged,
            "exit " + restarted + ", " + acknowledged + " acknowledged, " + total + " = " + killedRecords + " + "
                + acknowledged + " in the topic"),
        Invariant.check("the views a kill cut from their group are dead-lettered as incomplete",
            incomplete == cut && letters.size() == cut,
            cut + " view(s) of cut groups in the topic; " + letters.size() + " dead letter(s), " + incomplete
                + " as incomplete groups"),
        Invariant.check("the trainer trains on complete groups only", trained == 0 && images == steps * BATCH,
            "exit " + trained + ", " + images + " images in " + steps + " steps of " + BATCH),
        Invariant.check("the trainer's refusal count says what it dropped", refused == letters.size(),
            refused + " refused, " + letters.size() + " in the dead-letter topic"));
    return new ScenarioReport(name(), faults, total, images + refused, letters.size(), completeGroups,
        images / 4, invariants);
  }

  /**
   * Views among records [from, to) of the (single-partition) topic, one killed run's, that belong
   * to a crop whose four views are not all among them: what the kill cut short.
   */
  private long cutViews(EmbeddedStack stack, String topic, long from, long to) {
    Map<String, Integer> views = new HashMap<>();
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, RotatedImage> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        AvroSerdes.deserializer(Topics.IMAGES.named(topic), stack.newRegistryClient()))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seek(partition, from);
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      while (consumer.position(partition) < to && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, RotatedImage> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < to) {
            RotatedImage image = record.value();
            views.merge(image.getSampleId() + "#" + image.getEpoch(), 1, Integer::sum);
          }
        }
      }
    }
    return views.values().stream().filter(n -> n < 4).mapToLong(Integer::longValue).sum();
  }
}
