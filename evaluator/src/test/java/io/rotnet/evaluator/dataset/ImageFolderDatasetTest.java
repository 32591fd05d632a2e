package io.rotnet.evaluator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

  @Test
  void classesAreSortedDirectoriesAndLabelsFollowThem(@TempDir Path root) throws Exception {
    TinyImages.writeSolid(root.resolve("train/dog/b.png"), "png", 5, 4, 0x00ff00);
    TinyImages.writeSolid(root.resolve("train/dog/a.png"), "png", 5, 4, 0x00ff00);
    TinyImages.writeSolid(root.resolve("train/cat/x.jpg"), "jpg", 6, 6, 0xff0000);
    TinyImages.writeSolid(root.resolve("val/cat/y.png"), "png", 3, 3, 0xff0000);
    TinyImages.writeSolid(root.resolve("val/dog/z.png"), "png", 3, 3, 0x00ff00);
    Files.writeString(root.resolve("train/dog/notes.txt"), "not an image");

    EvalDataset dataset = ImageFolderDataset.open("pets", root);

    assertThat(dataset.train().classNames()).containsExactly("cat", "dog");
    assertThat(dataset.train().size()).isEqualTo(3);
    assertThat(dataset.train().labels()).containsExactly(0, 1, 1);
    assertThat(dataset.train().images().describe(1)).isEqualTo(Path.of("train/dog/a.png").toString());
    assertThat(dataset.test().labels()).containsExactly(0, 1);
    assertThat(dataset.singleLabel()).isTrue();
    assertThat(dataset.train().images().read(1).getRGB(0, 0) & 0xffffff).isEqualTo(0x00ff00);
  }

  @Test
  void fingerprintChangesWhenAFileIsAdded(@TempDir Path root) throws Exception {
    TinyImages.writeSolid(root.resolve("train/a/1.png"), "png", 2, 2, 0);
    TinyImages.writeSolid(root.resolve("val/a/1.png"), "png", 2, 2, 0);
    String before = ImageFolderDataset.open("d", root).fingerprint();
    assertThat(ImageFolderDataset.open("d", root).fingerprint()).isEqualTo(before);

    TinyImages.writeSolid(root.resolve("train/a/2.png"), "png", 2, 2, 0);

    assertThat(ImageFolderDataset.open("d", root).fingerprint()).isNotEqualTo(before);
  }

  @Test
  void aCorruptImageIsNamedInTheError(@TempDir Path root) throws Exception {
    TinyImages.writeSolid(root.resolve("train/a/good.png"), "png", 2, 2, 0);
    Files.write(root.resolve("train/a/bad.jpg"), new byte[] {1, 2, 3, 4});
    TinyImages.writeSolid(root.resolve("val/a/1.png"), "png", 2, 2, 0);
    EvalDataset dataset = ImageFolderDataset.open("d", root);

    assertThatThrownBy(() -> dataset.train().images().read(0))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("bad.jpg");
  }

  @Test
  void missingSplitsOrForeignValidationClassesAreRefused(@TempDir Path root) throws Exception {
    TinyImages.writeSolid(root.resolve("train/a/1.png"), "png", 2, 2, 0);
    assertThatThrownBy(() -> ImageFolderDataset.open("d", root)).hasMessageContaining("val/");

    TinyImages.writeSolid(root.resolve("val/zebra/1.png"), "png", 2, 2, 0);
    assertThatThrownBy(() -> ImageFolderDataset.open("d", root)).hasMessageContaining("zebra");
  }
}
