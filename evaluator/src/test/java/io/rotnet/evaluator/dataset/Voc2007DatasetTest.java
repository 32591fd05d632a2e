package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.benchmark.MultiLabelTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Voc2007DatasetTest {

  @Test
  void readsMultiLabelFlagsWithDifficultExamples(@TempDir Path root) throws Exception {
    writeDevkit(root);

    EvalDataset voc = Voc2007Dataset.open("voc07", root);

    assertThat(voc.train().classNames()).containsExactly("car", "dog");
    assertThat(voc.singleLabel()).isFalse();
    MultiLabelTargets train = voc.train().targets();
    assertThat(train.size()).isEqualTo(3);
    // 000001: car present, dog absent; 000002: car difficult, dog present; 000003: none
    assertThat(train.flag(0, 0)).isEqualTo(MultiLabelTargets.POSITIVE);
    assertThat(train.flag(0, 1)).isEqualTo(MultiLabelTargets.NEGATIVE);
    assertThat(train.flag(1, 0)).isEqualTo(MultiLabelTargets.DIFFICULT);
    assertThat(train.flag(1, 1)).isEqualTo(MultiLabelTargets.POSITIVE);
    assertThat(train.flag(2, 0)).isEqualTo(MultiLabelTargets.NEGATIVE);
    assertThat(voc.test().size()).isEqualTo(1);
    assertThat(voc.test().images().describe(0)).endsWith("000004.jpg");
    assertThat(voc.test().images().read(0).getWidth()).isEqualTo(8);
  }

  @Test
  void vocIsSeenSquashedAlsoAsASubset(@TempDir Path root) throws Exception {
    writeDevkit(root);

    assertThat(Voc2007Dataset.open("voc07", root).squashedView()).isTrue();
    assertThat(DatasetSpec.parse("voc07:" + root).withLimits(2, 1).open().squashedView()).isTrue();
    assertThat(Preprocessing.forDataset(Voc2007Dataset.open("voc07", root), 224).squash()).isTrue();
  }

  @Test
  void classFilesListingDifferentImagesAreRefused(@TempDir Path root) throws Exception {
    writeDevkit(root);
    Files.writeString(root.resolve("ImageSets/Main/dog_trainval.txt"), "000001 -1\n000002  1\n");

    assertThatThrownBy(() -> Voc2007Dataset.open("voc07", root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("dog_trainval.txt");
  }

  @Test
  void missingImagesAndBadFlagsAreNamed(@TempDir Path root) throws Exception {
    writeDevkit(root);
    Files.delete(root.resolve("JPEGImages/000003.jpg"));
    assertThatThrownBy(() -> Voc2007Dataset.open("voc07", root)).hasMessageContaining("000003");

    TinyImages.writeSolid(root.resolve("JPEGImages/000003.jpg"), "jpg", 8, 6, 0);
    Files.writeString(root.resolve("ImageSets/Main/car_test.txt"), "000004 7\n");
    assertThatThrownBy(() -> Voc2007Dataset.open("voc07", root)).hasMessageContaining("car_test.txt line 1");
  }

  static void writeDevkit(Path root) throws Exception {
    for (String id : new String[] {"000001", "000002", "000003", "000004"}) {
      TinyImages.writeSolid(root.resolve("JPEGImages/" + id + ".jpg"), "jpg", 8, 6, 0x808080);
    }
    Path main = Files.createDirectories(root.resolve("ImageSets/Main"));
    Files.writeString(main.resolve("car_trainval.txt"), "000001  1\n000002  0\n000003 -1\n");
    Files.writeString(main.resolve("dog_trainval.txt"), "000001 -1\n000002  1\n000003 -1\n");
    Files.writeString(main.resolve("car_test.txt"), "000004  1\n");
    Files.writeString(main.resolve("dog_test.txt"), "000004 -1\n");
    Files.writeString(main.resolve("trainval.txt"), "000001\n000002\n000003\n");
    Files.writeString(main.resolve("car_train.txt"), "000001  1\n");
  }
}
