package io.rotnet.evaluator.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFileTest {

  @Test
  void roundTripsAMatrixWrittenInPieces(@TempDir Path dir) throws Exception {
    FeatureMatrix matrix = random(37, 13, 1);
    Path file = dir.resolve("feature3.feat");

    try (FeatureFile.Writer writer = FeatureFile.Writer.open(file, 37, 13)) {
      writer.append(matrix.rawData(), 0, 20);
      writer.append(matrix.rawData(), 20, 17);
      writer.commit();
    }

    FeatureMatrix read = FeatureFile.read(file);
    assertThat(read.rows()).isEqualTo(37);
    assertThat(read.dims()).isEqualTo(13);
    assertThat(read.rawData()).containsExactly(matrix.rawData());
    assertThat(listing(dir)).containsExactly("feature3.feat");
  }

  @Test
  void anUncommittedWriterLeavesNothingBehind(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.feat");
    try (FeatureFile.Writer writer = FeatureFile.Writer.open(file, 4, 2)) {
      writer.append(new float[8], 0, 2);
      assertThatThrownBy(writer::commit).hasMessageContaining("only 2 of 4 rows");
    }
    assertThat(listing(dir)).isEmpty();
  }

  @Test
  void flippedOrMissingBytesAreDetected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.feat");
    FeatureFile.write(file, random(10, 10, 2));
    byte[] bytes = Files.readAllBytes(file);

    bytes[100] ^= 0x10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> FeatureFile.read(file))
        .isInstanceOf(FeatureFile.CorruptFeatureFileException.class)
        .hasMessageContaining("checksum");

    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> FeatureFile.read(file))
        .isInstanceOf(FeatureFile.CorruptFeatureFileException.class)
        .hasMessageContaining("needs");
  }

  static FeatureMatrix random(int rows, int dims, long seed) {
    Random random = new Random(seed);
    float[] data = new float[rows * dims];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return FeatureMatrix.wrap(rows, dims, data);
  }

  static java.util.List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
