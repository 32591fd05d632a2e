package io.rotnet.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.testing.Scenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotationGroupAssemblerTest {

  private static final int SIZE = 32;
  private final List<RotationGroup> completed = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private final RotationGroupAssembler assembler =
      new RotationGroupAssembler(
          SIZE,
          12,
          new RotationGroupAssembler.Listener() {
            @Override
            public void completed(RotationGroup group) {
              completed.add(group);
            }

            @Override
            public void rejected(StreamRecord record, Refusal refusal) {
              refused.add(record.offset() + " " + refusal.reasonClass());
            }
          });
  private long offset;

  private static List<RotatedImage> group(String id, long index) {
    return Scenes.group(id, 0, index, 100, Scenes.scene(new Random(index), SIZE), SIZE);
  }

  private void add(RotatedImage view) {
    assembler.add(StreamRecords.streamRecord(0, offset++, view));
  }

  @Test
  void interleavedViewsFormGroupsInCompletionOrder() {
    List<RotatedImage> a = group("a", 0);
    List<RotatedImage> b = group("b", 1);
    add(a.get(2));
    add(b.get(0));
    add(a.get(0));
    add(b.get(3));
    add(b.get(1));
    add(a.get(3));
    add(b.get(2)); // b completes first
    add(a.get(1));
    assertThat(completed).extracting(RotationGroup::sampleId).containsExactly("b@0", "a@0");
    assertThat(completed.get(1).views())
        .extracting(v -> v.image().getRotation())
        .containsExactly(0, 1, 2, 3);
    assertThat(refused).isEmpty();
    assertThat(assembler.pendingViews()).isZero();
  }

  @Test
  void refusesDuplicatesMismatchesAndWrongShapesAtOnce() {
    List<RotatedImage> a = group("a", 0);
    add(a.get(0));
    add(a.get(0)); // offset 1: duplicate
    RotatedImage disagreeing = RotatedImage.newBuilder(a.get(1)).setIndexInEpoch(7).build();
    add(disagreeing); // offset 2
    RotatedImage big =
        Scenes.view("c", 0, 2, 100, 0, 48, PixelEncoding.RAW_RGB8, new byte[48 * 48 * 3]);
    add(big); // offset 3
    RotatedImage badLabel = RotatedImage.newBuilder(a.get(1)).setRotation(4).build();
    add(badLabel); // offset 4
    assertThat(refused)
        .containsExactly(
            "1 duplicate-rotation", "2 group-mismatch", "3 wrong-shape", "4 bad-header");
    add(a.get(1));
    add(a.get(2));
    add(a.get(3));
    assertThat(completed).extracting(RotationGroup::sampleId).containsExactly("a@0");
  }

  @Test
  void refusesGroupsThatStayIncompleteTooLong() {
    List<RotatedImage> lonely = group("lonely", 0);
    add(lonely.get(0));
    add(lonely.get(1)); // offsets 0, 1
    for (int i = 1; i <= 3; i++) {
      for (RotatedImage view : group("g" + i, i)) {
        add(view);
      }
    }
    // the 12th record after the first view of "lonely" evicts it
    assertThat(refused).containsExactly("0 incomplete-group", "1 incomplete-group");
    assertThat(completed).hasSize(3);
    assertThat(assembler.pendingViews()).isZero();
  }

  @Test
  void sameSampleInAnotherEpochIsAnotherGroup() {
    byte[] rgb = Scenes.scene(new Random(9), SIZE);
    List<RotatedImage> first = Scenes.group("x", 0, 5, 100, rgb, SIZE);
    List<RotatedImage> second = Scenes.group("x", 1, 5, 100, rgb, SIZE);
    for (int r = 0; r < 4; r++) {
      add(first.get(r));
      add(second.get(r));
    }
    assertThat(completed).extracting(RotationGroup::epoch).containsExactly(0, 1);
  }
}
