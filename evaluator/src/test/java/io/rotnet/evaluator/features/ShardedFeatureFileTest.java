package io.rotnet.evaluator.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.FeatureShards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedFeatureFileTest {
  private static final FeatureCache.Group GROUP =
      new FeatureCache.Group("ab12cd", "shapes", "0123456789abcdef", "resize37-crop32");

  @Test
  void rowsSpreadOverShardsReadBackWholeShardByShardAndRowByRow(@TempDir Path dir) throws Exception {
    FeatureMatrix matrix = FeatureFileTest.random(10, 3, 5);
    Path entry = dir.resolve("avgpool.feat");
    try (ShardedFeatureFile.Writer writer = ShardedFeatureFile.open(entry, 10, 3, 4)) {
      writer.append(matrix.rawData(), 0, 3); // batches that straddle shard boundaries
      writer.append(matrix.rawData(), 3, 6);
      writer.append(matrix.rawData(), 9, 1);
      writer.commit();
    }

    ShardedFeatureFile.Shards shards = ShardedFeatureFile.read(entry);
    assertThat(shards.rows()).isEqualTo(10);
    assertThat(shards.shardCount()).isEqualTo(3);
    assertThat(List.of(shards.shardRows(0), shards.shardRows(1), shards.shardRows(2))).containsExactly(4, 4, 2);
    assertThat(shards.start(2)).isEqualTo(8);
    assertThat(shards.shard(1).rawData()).containsExactly(matrix.head(8).selectRows(new int[] {4, 5, 6, 7}).rawData());
    assertThat(shards.readAll().rawData()).containsExactly(matrix.rawData());
    assertThat(shards.readRows(new long[] {9, 0, 5}).rawData())
        .containsExactly(matrix.selectRows(new int[] {9, 0, 5}).rawData());
    // each shard is an ordinary feature file
    assertThat(FeatureFile.read(ShardedFeatureFile.shardPath(entry, 2)).rows()).isEqualTo(2);

    // a range of rows is the shards that overlap it, clipped, indexed from 0
    FeatureShards range = shards.range(3, 9);
    assertThat(range.rows()).isEqualTo(6);
    assertThat(range.shardCount()).isEqualTo(3);
    assertThat(List.of(range.shardRows(0), range.shardRows(1), range.shardRows(2))).containsExactly(1, 4, 1);
    assertThat(List.of(range.start(0), range.start(1), range.start(2))).containsExactly(0L, 1L, 5L);
    float[] joined = new float[6 * 3];
    for (int s = 0; s < range.shardCount(); s++) {
      System.arraycopy(range.shard(s).rawData(), 0, joined, (int) range.start(s) * 3, range.shardRows(s) * 3);
    }
    assertThat(joined).containsExactly(matrix.slice(3, 6).rawData());
    assertThat(shards.range(4, 8).shardCount()).isEqualTo(1);
    assertThat(shards.range(5, 5).shardCount()).isZero();
    assertThatThrownBy(() -> shards.range(2, 11)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShardThatIsNotTheOneTheIndexNamesIsCorrupt(@TempDir Path dir) throws Exception {
    FeatureCache cache = new FeatureCache(dir);
    write(cache, FeatureFileTest.random(9, 2, 1), 4);
    Path entry = cache.file(GROUP, "train", "feature5");
    // a shard of another extraction with the same shape
    FeatureFile.write(ShardedFeatureFile.shardPath(entry, 1), FeatureFileTest.random(4, 2, 99));

    assertThatThrownBy(() -> ShardedFeatureFile.read(entry))
        .isInstanceOf(FeatureFile.CorruptFeatureFileException.class).hasMessageContaining("not the shard");
    assertThat(cache.read(GROUP, "train", "feature5")).isEmpty();
    assertThat(entry).doesNotExist();
    assertThat(ShardedFeatureFile.shardPath(entry, 0)).doesNotExist();
  }

  @Test
  void anInterruptedWriteLeavesNoEntryAndItsLeftoversAreCleanedUp(@TempDir Path dir) throws Exception {
    FeatureCache cache = new FeatureCache(dir);
    FeatureMatrix matrix = FeatureFileTest.random(10, 3, 2);

    // an extraction that fails part-way (its writer is closed uncommitted)
    try (ShardedFeatureFile.Writer writer = cache.writer(GROUP, "train", "feature5", 10, 3)) {
      writer.append(matrix.rawData(), 0, 6);
    }
    assertThat(cache.contains(GROUP, "train", "feature5")).isFalse();
    assertThat(files(cache.file(GROUP, "train", "feature5").getParent())).isEmpty();

    // a crash: first shard committed, the second half written to a temporary file, no index
    ShardedFeatureFile.Writer crashed = ShardedFeatureFile.open(cache.file(GROUP, "test", "feature5"), 10, 3, 4);
    crashed.append(matrix.rawData(), 0, 6);
    FeatureCache afterRestart = new FeatureCache(dir);
    assertThat(afterRestart.contains(GROUP, "test", "feature5")).isFalse();
    assertThat(afterRestart.read(GROUP, "test", "feature5")).isEmpty();
    assertThat(files(afterRestart.file(GROUP, "test", "feature5").getParent())).anyMatch(n -> n.endsWith(".tmp"));

    // the next extraction clears what the crash left and writes a complete entry
    try (ShardedFeatureFile.Writer writer = afterRestart.writer(GROUP, "test", "feature5", 10, 3)) {
      assertThat(files(afterRestart.file(GROUP, "test", "feature5").getParent())).noneMatch(n -> n.endsWith(".tmp"));
      writer.append(matrix.rawData(), 0, 10);
      writer.commit();
    }
    assertThat(afterRestart.read(GROUP, "test", "feature5").orElseThrow().rawData()).containsExactly(matrix.rawData());
    crashed.close();
  }

  @Test
  void pruningKeepsTheMostRecentlyUsedCheckpointsAndAnyInUse(@TempDir Path dir) throws Exception {
    FeatureCache cache = new FeatureCache(dir, 2);
    List<String> checkpoints = List.of("c1", "c2", "c3", "c4", "c5");
    for (String checkpoint : checkpoints) {
      FeatureCache.Group group = new FeatureCache.Group(checkpoint, "shapes", "0123456789abcdef", "v");
      FeatureFile.write(cache.file(group, "train", "avgpool"), FeatureFileTest.random(2, 2, 1));
      cache.markUsed(group);
      Files.setLastModifiedTime(dir.resolve(checkpoint).resolve(".used"),
          java.nio.file.attribute.FileTime.fromMillis(1_000_000L * checkpoints.indexOf(checkpoint)));
    }
    FeatureCache.Group busy = new FeatureCache.Group("c1", "shapes", "0123456789abcdef", "v");

    List<String> pruned = cache.locked(busy, cache::prune); // c1 is in use while pruning

    assertThat(pruned).containsExactlyInAnyOrder("c2", "c3");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("c1", "c4", "c5");
    assertThat(new FeatureCache(dir, 0).prune()).isEmpty();
  }

  private static void write(FeatureCache cache, FeatureMatrix matrix, int shardRows) throws IOException {
    Path entry = cache.file(GROUP, "train", "feature5");
    try (ShardedFeatureFile.Writer writer = ShardedFeatureFile.open(entry, matrix.rows(), matrix.dims(), shardRows)) {
      writer.append(matrix.rawData(), 0, matrix.rows());
      writer.commit();
    }
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.list(dir)) {
      return paths.map(p -> p.getFileName().toString()).toList();
    }
  }
}
