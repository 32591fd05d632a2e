package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetSpecTest {

  @Test
  void parsesNameFormatAndPath() {
    DatasetSpec named = DatasetSpec.parse("fashion-mnist=idx:/usr/share/datasets/fashion-mnist");
    assertThat(named.name()).isEqualTo("fashion-mnist");
    assertThat(named.format()).isEqualTo(DatasetFormat.IDX);
    assertThat(named.root()).isEqualTo(Path.of("/usr/share/datasets/fashion-mnist"));

    DatasetSpec unnamed = DatasetSpec.parse("voc07:/data/VOCdevkit/VOC2007");
    assertThat(unnamed.name()).isEqualTo("voc2007");
    assertThat(unnamed.format()).isEqualTo(DatasetFormat.VOC07);
  }

  @Test
  void rejectsUnknownFormatsAndMissingPaths() {
    assertThatThrownBy(() -> DatasetSpec.parse("cifar:/x")).hasMessageContaining("unknown dataset format");
    assertThatThrownBy(() -> DatasetSpec.parse("/just/a/path")).hasMessageContaining("FORMAT:PATH");
    assertThatThrownBy(() -> DatasetSpec.parse("idx:/does/not/exist").open())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("does not exist");
  }
}
