package io.rotnet.producer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.producer.TestImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileTrailerTest {

  private final byte[] jpeg = TestImages.jpeg(TestImages.rgbPicture(40, 30));
  private final byte[] png = TestImages.png(TestImages.rgbPicture(40, 30));

  @Test
  void completeFilesEndWithTheirMarker() {
    assertThat(FileTrailer.isComplete(jpeg)).isTrue();
    assertThat(FileTrailer.isComplete(png)).isTrue();
  }

  @Test
  void truncatedFilesDoNot() {
    assertThat(FileTrailer.isComplete(Arrays.copyOf(jpeg, jpeg.length - 1))).isFalse();
    assertThat(FileTrailer.isComplete(Arrays.copyOf(png, png.length - 4))).isFalse();
  }

  @Test
  void aLittlePaddingAfterTheJpegEndIsAccepted() {
    assertThat(FileTrailer.isComplete(Arrays.copyOf(jpeg, jpeg.length + 16))).isTrue();
    assertThat(FileTrailer.isComplete(Arrays.copyOf(jpeg, jpeg.length + 200))).isFalse();
  }

  @Test
  void otherFormatsAreAlwaysDecodedWhole() {
    assertThat(FileTrailer.isComplete(TestImages.write(TestImages.rgbPicture(8, 8), "gif"))).isFalse();
    assertThat(FileTrailer.isComplete(new byte[0])).isFalse();
  }
}
