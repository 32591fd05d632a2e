package io.rotnet.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.producer.TestImages;
import io.rotnet.producer.decode.ImageDecoder;
import io.rotnet.producer.decode.ImageRejectedException;
import io.rotnet.producer.decode.RgbImage;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {

  private final ImageDecoder decoder = ImageDecoder.builder().build();

  @TempDir Path dir;

  @Test
  void folderTreeIsScannedRecursivelyWithFirstLevelLabels() throws Exception {
    byte[] png = TestImages.png(TestImages.rgbPicture(8, 6));
    TestImages.writeFile(dir.resolve("cats/a.png"), png);
    TestImages.writeFile(dir.resolve("cats/deeper/b.PNG"), png);
    TestImages.writeFile(dir.resolve("dogs/c.jpg"), TestImages.jpeg(TestImages.rgbPicture(8, 6)));
    TestImages.writeFile(dir.resolve("top.bmp"), TestImages.write(TestImages.rgbPicture(8, 6), "bmp"));
    TestImages.writeFile(dir.resolve("dogs/notes.txt"), TestImages.textFile());

    ImageSource source = ImageSources.open(dir);

    assertThat(source).isInstanceOf(DirectorySource.class);
    assertThat(source.size()).isEqualTo(4);
    assertThat(IntStream.range(0, 4).mapToObj(i -> source.entry(i).id()))
        .containsExactly("cats/a.png", "cats/deeper/b.PNG", "dogs/c.jpg", "top.bmp");
    assertThat(IntStream.range(0, 4).mapToObj(i -> source.entry(i).label()))
        .containsExactly("cats", "cats", "dogs", null);
    assertThat(source.entry(0).uri()).startsWith("file:").endsWith("cats/a.png");
    assertThat(source.load(2, decoder).width()).isEqualTo(8);
  }

  @Test
  void listFileResolvesRelativePathsAndOptionalLabels() throws Exception {
    TestImages.writeFile(dir.resolve("img/x.png"), TestImages.png(TestImages.rgbPicture(5, 5)));
    Path absolute = TestImages.writeFile(dir.resolve("elsewhere/y.png"), TestImages.png(TestImages.rgbPicture(7, 3)));
    Path list = dir.resolve("list.txt");
    Files.writeString(list, "# training images\nimg/x.png\tshapes\n\n" + absolute + "\nimg/missing.png\n");

    ImageSource source = ImageSources.open(list);

    assertThat(source).isInstanceOf(PathListSource.class);
    assertThat(source.size()).isEqualTo(3);
    assertThat(source.entry(0).label()).isEqualTo("shapes");
    assertThat(source.entry(1).label()).isNull();
    assertThat(source.load(1, decoder).width()).isEqualTo(7);
    assertThatThrownBy(() -> source.load(2, decoder))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageContaining("cannot read file");
  }

  @Test
  void idxFilesGzippedOrNotWithSiblingLabels() throws Exception {
    byte[] images = idx(new int[] {3, 2, 4}, IntStream.range(0, 24).map(i -> i * 10).toArray());
    byte[] labels = idx(new int[] {3}, new int[] {7, 8, 9});
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images));
    Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels));
    Files.write(dir.resolve("plain-images"), images);

    ImageSource gz = ImageSources.open(dir.resolve("train-images-idx3-ubyte.gz"));
    ImageSource plain = ImageSources.open(dir.resolve("plain-images"));

    assertThat(gz).isInstanceOf(IdxSource.class);
    assertThat(gz.size()).isEqualTo(3);
    assertThat(gz.entry(1).label()).isEqualTo("8");
    assertThat(gz.entry(1).id()).isEqualTo("train-images-idx3-ubyte.gz#1");
    assertThat(gz.entry(1).uri()).startsWith("idx:").endsWith("train-images-idx3-ubyte.gz#1");
    assertThat(plain.entry(1).label()).isNull();
    RgbImage second = gz.load(1, decoder);
    assertThat(second.width()).isEqualTo(4);
    assertThat(second.height()).isEqualTo(2);
    // image 1 holds values 80..150; gray replicated to R, G, B
    assertThat(Arrays.copyOfRange(second.pixels(), 0, 6)).containsExactly(80, 80, 80, 90, 90, 90);
    assertThat(plain.load(1, decoder).pixels()).isEqualTo(second.pixels());
  }

  @Test
  void everySourceLoadsARegionAsTheCropOfTheWholeImage() throws Exception {
    TestImages.writeFile(dir.resolve("a/x.png"), TestImages.png(TestImages.rgbPicture(9, 7)));
    Files.write(dir.resolve("plain-images"), idx(new int[] {2, 3, 5}, IntStream.range(0, 30).toArray()));
    Rectangle region = new Rectangle(1, 1, 3, 2);
    for (ImageSource source :
        new ImageSource[] {
          ImageSources.open(dir.resolve("a")),
          ImageSources.open(dir.resolve("plain-images")),
          ImageSources.limit(ImageSources.open(dir.resolve("plain-images")), 1)
        }) {
      RgbImage whole = source.load(0, decoder);
      RgbImage part = source.load(0, decoder, (w, h) -> region);
      assertThat(part.width()).isEqualTo(3);
      assertThat(part.pixels()).isEqualTo(whole.region(1, 1, 3, 2).pixels());
    }
  }

  @Test
  void bundledFashionMnistSubsetReads() throws Exception {
    Path images = Path.of("..", "data", "fashion-mnist-mini", "train-images-idx3-ubyte.gz");
    ImageSource source = ImageSources.open(images);
    assertThat(source.size()).isEqualTo(3000);
    assertThat(source.entry(0).label()).isEqualTo("9"); // Fashion-MNIST's first image: ankle boot
    assertThat(source.load(0, decoder).width()).isEqualTo(28);
  }

  @Test
  void missingOrEmptySourcesAreUsageErrors() throws IOException {
    assertThatThrownBy(() -> ImageSources.open(dir.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not found");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> ImageSources.open(dir.resolve("empty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no images");
  }

  @Test
  void epochOrderIsASeededPermutation() {
    int[] first = EpochOrder.shuffled(1000, 42, 0);
    assertThat(Arrays.stream(first).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
    assertThat(EpochOrder.shuffled(1000, 42, 0)).isEqualTo(first);
    assertThat(EpochOrder.shuffled(1000, 42, 1)).isNotEqualTo(first);
    assertThat(EpochOrder.shuffled(1000, 43, 0)).isNotEqualTo(first);
    assertThat(first).isNotEqualTo(IntStream.range(0, 1000).toArray());
  }

  private static byte[] idx(int[] dims, int[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + dims.length * 4 + values.length);
    buffer.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int dim : dims) {
      buffer.putInt(dim);
    }
    for (int value : values) {
      buffer.put((byte) value);
    }
    return buffer.array();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
