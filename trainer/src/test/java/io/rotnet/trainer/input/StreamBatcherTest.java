package io.rotnet.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.testing.Scenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StreamBatcherTest {

  private static final int SIZE = 32;
  private static final TopicPartition TP = new TopicPartition(StreamRecords.TOPIC, 0);
  private final List<String> refusals = new ArrayList<>();

  private StreamBatcher batcher(int groupsPerBatch, int buffers) {
    StreamBatcher batcher =
        new StreamBatcher(
            groupsPerBatch,
            SIZE,
            64,
            buffers,
            StreamRecords::decode,
            (record, refusal) -> refusals.add(record.offset() + " " + refusal.reasonClass()));
    batcher.start(TP, 0);
    return batcher;
  }

  private static List<RotatedImage> group(String id, long index) {
    return Scenes.group(id, 0, index, 10, Scenes.scene(new Random(index), SIZE), SIZE);
  }

  /** Feeds records in order, releasing each batch after noting it. */
  private static List<HostBatch> feed(
      StreamBatcher batcher, List<ConsumerRecord<String, byte[]>> records)
      throws InterruptedException {
    List<HostBatch> batches = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Optional<HostBatch> batch = batcher.accept(record, () -> true);
      batch.ifPresent(
          b -> {
            batches.add(b);
            b.release();
          });
    }
    return batches;
  }

  private static List<ConsumerRecord<String, byte[]>> ordered(int groups) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      for (RotatedImage view : group("s" + g, g)) {
        records.add(StreamRecords.record(0, records.size(), view));
      }
    }
    return records;
  }

  @Test
  void batchesHoldWholeGroupsInStreamOrderWithTheirResumePosition() throws Exception {
    StreamBatcher batcher = batcher(2, 4);
    List<ConsumerRecord<String, byte[]>> records = ordered(5);
    List<HostBatch> batches = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      batcher.accept(record, () -> true).ifPresent(batches::add);
    }
    assertThat(batches).hasSize(2);
    HostBatch first = batches.get(0);
    assertThat(first.sampleIds()).containsExactly("s0@0", "s1@0");
    assertThat(first.labels()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
    assertThat(first.startProgress()).isEqualTo(0.0);
    assertThat(first.endProgress()).isEqualTo(0.2);
    assertThat(first.position().nextOffsets()).containsEntry(TP, 8L);
    assertThat(first.position().partitions().get(TP).handled()).isEmpty();
    assertThat(batches.get(1).position().nextOffsets()).containsEntry(TP, 16L);
    assertThat(batcher.pendingViews()).isZero(); // group 4 waits in the next batch, not pending

    // image 5 of the first batch is rotation 1 of s1, decoded in place
    float[] expected = new float[3 * SIZE * SIZE];
    new PixelDecoder(SIZE, ImageNormalization.IMAGENET)
        .decodeInto(group("s1", 1).get(1), expected, 0);
    float[] actual = new float[expected.length];
    System.arraycopy(first.pixels(), 5 * expected.length, actual, 0, expected.length);
    assertThat(actual).containsExactly(expected);
  }

  @Test
  void resumingFromAnInterleavedPositionSkipsWhatWasTrained() throws Exception {
    List<RotatedImage> a = group("a", 0);
    List<RotatedImage> b = group("b", 1);
    List<RotatedImage> c = group("c", 2);
    List<RotatedImage> order =
        List.of(
            a.get(0), a.get(1), b.get(0), b.get(1), b.get(2), b.get(3), a.get(2), a.get(3),
            c.get(0), c.get(1), c.get(2), c.get(3));
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (RotatedImage view : order) {
      records.add(StreamRecords.record(0, records.size(), view));
    }
    List<HostBatch> uninterrupted = feed(batcher(1, 3), records);
    assertThat(uninterrupted)
        .extracting(HostBatch::sampleIds)
        .containsExactly(List.of("b@0"), List.of("a@0"), List.of("c@0"));
    StreamPosition afterB = uninterrupted.get(0).position();
    assertThat(afterB.partitions().get(TP).next()).isZero(); // a's first views are still open
    assertThat(afterB.partitions().get(TP).handled()).containsExactly(2L, 3L, 4L, 5L);

    StreamBatcher resumed =
        new StreamBatcher(1, SIZE, 64, 3, StreamRecords::decode, (r, why) -> {});
    resumed.start(TP, StreamPosition.decode(afterB.encode()).partitions().get(TP));
    List<HostBatch> after =
        feed(resumed, records.subList((int) afterB.partitions().get(TP).next(), records.size()));
    assertThat(after)
        .extracting(HostBatch::sampleIds)
        .containsExactly(List.of("a@0"), List.of("c@0"));
    assertThat(after.get(1).position()).isEqualTo(uninterrupted.get(2).position());
    assertThat(resumed.recordsRead()).isEqualTo(8);
  }

  @Test
  void refusedRecordsAreDoneAndDoNotHoldThePositionBack() throws Exception {
    StreamBatcher batcher = batcher(1, 3);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    records.add(StreamRecords.garbage(0, 0));
    RotatedImage wrongShape =
        Scenes.view("w", 0, 9, 10, 0, 48, PixelEncoding.RAW_RGB8, new byte[48 * 48 * 3]);
    records.add(StreamRecords.record(0, 1, wrongShape));
    for (RotatedImage view : group("g", 0)) {
      records.add(StreamRecords.record(0, records.size(), view));
    }
    List<HostBatch> batches = feed(batcher, records);
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).position().nextOffsets()).containsEntry(TP, 6L);
    assertThat(refusals).containsExactly("1 wrong-shape"); // the garbage went through the decoder
    assertThat(batcher.recordsRefused()).isEqualTo(2);
  }

  @Test
  void aViewThatDoesNotDecodeTakesItsWholeGroupDown() throws Exception {
    StreamBatcher batcher = batcher(1, 3);
    List<RotatedImage> views = new ArrayList<>(group("g", 0));
    views.set(
        2,
        RotatedImage.newBuilder(views.get(2))
            .setEncoding(PixelEncoding.PNG)
            .setPixels(java.nio.ByteBuffer.wrap("not a png".getBytes()))
            .build());
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (RotatedImage view : views) {
      records.add(StreamRecords.record(0, records.size(), view));
    }
    for (RotatedImage view : group("h", 1)) {
      records.add(StreamRecords.record(0, records.size(), view));
    }
    List<HostBatch> batches = feed(batcher, records);
    assertThat(refusals)
        .containsExactly(
            "0 incomplete-group", "1 incomplete-group", "2 corrupt-image", "3 incomplete-group");
    assertThat(batches).extracting(HostBatch::sampleIds).containsExactly(List.of("h@0"));
  }

  @Test
  void waitsForAFreeBufferAndGivesUpWhenToldTo() throws Exception {
    StreamBatcher batcher = batcher(1, 1);
    List<ConsumerRecord<String, byte[]>> records = ordered(2);
    HostBatch held = null;
    for (int i = 0; i < 4; i++) {
      Optional<HostBatch> batch = batcher.accept(records.get(i), () -> true);
      if (batch.isPresent()) {
        held = batch.get();
      }
    }
    assertThat(held).isNotNull();
    assertThat(batcher.accept(records.get(4), () -> false)).isEmpty();
    assertThat(batcher.recordsRead()).isEqualTo(4); // not read: no buffer to put it in
    held.release();
    assertThat(batcher.accept(records.get(4), () -> true)).isEmpty();
    assertThat(batcher.recordsRead()).isEqualTo(5);
  }
}
