package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.devstack.EmbeddedStackExtension;
import io.rotnet.schemas.Topics;
import io.rotnet.schemas.avro.CheckpointEvent;
import io.rotnet.schemas.avro.DeadLetter;
import io.rotnet.schemas.avro.PixelEncoding;
import io.rotnet.schemas.avro.RotatedImage;
import io.rotnet.trainer.testing.ImageTopic;
import io.rotnet.trainer.testing.Scenes;
import io.rotnet.trainer.testing.TopicReader;
import io.rotnet.trainer.testing.TrainerFixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the trainer cannot use are parked in rotnet.images.dlq with a reason; training goes on.
 */
@ExtendWith(EmbeddedStackExtension.class)
class TrainerDeadLetterTest {

  private static final TrainingPreset PRESET =
      TrainingPresets.TINY_CPU.toBuilder().batchSize(16).build();
  private static final int SIZE = PRESET.inputSize();

  @TempDir Path checkpoints;

  private static List<RotatedImage> group(int index) {
    return Scenes.group("ok" + index, 0, index, 100, Scenes.scene(new Random(index), SIZE), SIZE);
  }

  @Test
  @Timeout(120)
  void badRecordsAreParkedWithTheirReasonAndTrainingContinues(EmbeddedStack stack)
      throws Exception {
    String topic = Topics.IMAGES.name();
    TrainerFixtures.createTopics(stack, topic, 1);
    try (ImageTopic images = new ImageTopic(stack, topic)) {
      for (int i = 0; i < 4; i++) {
        images.send(group(i));
      }
      // offset 16: a crop of the wrong size
      images.send(
          Scenes.view("big", 0, 50, 100, 0, 48, PixelEncoding.RAW_RGB8, new byte[48 * 48 * 3]));
      // offset 17: bytes that are not an Avro record at all
      images.sendRaw("garbage", "this is not avro".getBytes(StandardCharsets.UTF_8));
      // offsets 18..21: a group whose third view claims PNG but holds junk
      List<RotatedImage> broken = new ArrayList<>(group(4));
      broken.set(
          2,
          RotatedImage.newBuilder(broken.get(2))
              .setEncoding(PixelEncoding.PNG)
              .setPixels(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}))
              .build());
      images.send(broken);
      for (int i = 5; i < 9; i++) {
        images.send(group(i));
      }
      images.flush();
    }

    TrainerSettings settings =
        TrainerFixtures.settings(stack, topic, checkpoints, "dlq", PRESET).optMaxSteps(2).build();
    List<List<String>> trained = new ArrayList<>();
    TrainingSummary summary =
        new RotNetTrainer(settings).addObserver(report -> trained.add(report.sampleIds())).run();

    assertThat(summary.steps()).isEqualTo(2);
    assertThat(trained.get(1)).containsExactly("ok5@0", "ok6@0", "ok7@0", "ok8@0");
    assertThat(summary.recordsRefused()).isEqualTo(6);

    List<DeadLetter> letters = TopicReader.read(stack, Topics.IMAGES_DLQ, letter -> true, 6);
    assertThat(letters)
        .extracting(DeadLetter::getOffset)
        .containsExactlyInAnyOrder(16L, 17L, 18L, 19L, 20L, 21L);
    assertThat(letters)
        .allSatisfy(
            letter -> {
              assertThat(letter.getService()).isEqualTo("trainer");
              assertThat(letter.getOrigin()).isEqualTo(topic);
            });
    assertThat(reasonAt(letters, 16)).startsWith("wrong-shape:").contains("48x48");
    assertThat(reasonAt(letters, 17)).isNotBlank().doesNotStartWith("wrong-shape");
    assertThat(reasonAt(letters, 20)).startsWith("corrupt-image:");
    assertThat(reasonAt(letters, 18)).startsWith("incomplete-group:").contains("rotation 2");

    // The run stopped before its first metrics report: its last checkpoint still has a loss.
    CheckpointEvent last =
        TopicReader.read(stack, Topics.CHECKPOINTS, event -> event.getRunId().equals("dlq"), 1).get(0);
    assertThat(last.getStep()).isEqualTo(2);
    assertThat(last.getPretextLoss()).isFinite().isPositive();
    assertThat(last.getPretextAccuracy()).isBetween(0.0, 1.0);
  }

  private static String reasonAt(List<DeadLetter> letters, long offset) {
    return letters.stream()
        .filter(l -> l.getOffset() == offset)
        .findFirst()
        .orElseThrow()
        .getReason();
  }
}
