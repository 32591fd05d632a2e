package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

  @Test
  void readsGzippedAndPlainFiles(@TempDir Path root) throws Exception {
    TinyImages.writeIdx(root, "train", 7, 4, true);
    TinyImages.writeIdx(root, "t10k", 5, 4, false);

    EvalDataset dataset = IdxDataset.open("digits", root, List.of());

    assertThat(dataset.train().size()).isEqualTo(7);
    assertThat(dataset.test().size()).isEqualTo(5);
    assertThat(dataset.train().classNames()).containsExactly("0", "1", "2");
    assertThat(dataset.train().labels()).containsExactly(0, 1, 2, 0, 1, 2, 0);
    // image 2 has label 2 and all its pixels are 40
    assertThat(dataset.train().images().read(2).getRGB(3, 3) & 0xffffff).isEqualTo(0x282828);
    assertThat(dataset.test().images().describe(4)).isEqualTo("t10k[4]");
  }

  @Test
  void truncatedOrForeignFilesAreRefusedWithTheFileName(@TempDir Path root) throws Exception {
    TinyImages.writeIdx(root, "train", 7, 4, false);
    TinyImages.writeIdx(root, "t10k", 5, 4, false);
    Path images = root.resolve("train-images-idx3-ubyte");
    byte[] bytes = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> IdxDataset.open("d", root, List.of()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-images-idx3-ubyte is truncated");

    TinyImages.writeIdx(root, "train", 7, 4, false);
    Files.write(root.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
    assertThatThrownBy(() -> IdxDataset.open("d", root, List.of())).hasMessageContaining("not an IDX label file");
  }

  @Test
  void opensTheFashionMnistSubsetShippedWithTheRepository() {
    Path mini = Path.of("..", "data", "fashion-mnist-mini");
    DatasetSpec spec = DatasetSpec.parse("fashion-mnist=idx:" + mini);

    EvalDataset full = spec.open();
    EvalDataset limited = spec.withLimits(300, 100).open();

    assertThat(full.train().size()).isEqualTo(3000);
    assertThat(full.test().size()).isEqualTo(1000);
    assertThat(full.train().classNames()).hasSize(10).startsWith("t-shirt", "trouser");
    assertThat(limited.train().size()).isEqualTo(300);
    assertThat(limited.test().size()).isEqualTo(100);
    assertThat(limited.fingerprint()).isNotEqualTo(full.fingerprint());
    assertThat(spec.withLimits(300, 100).open().train().labels()).containsExactly(limited.train().labels());
  }
}
