package io.rotnet.evaluator.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.benchmark.FeatureMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
  private static final FeatureCache.Group GROUP =
      new FeatureCache.Group("ab12cd", "fashion-mnist", "0123456789abcdef", "resize37-crop32");

  @Test
  void keysSeparateCheckpointsDatasetsViewsSplitsAndTaps(@TempDir Path dir) {
    FeatureCache cache = new FeatureCache(dir);
    FeatureCache.Group otherView = new FeatureCache.Group("ab12cd", "fashion-mnist", "0123456789abcdef", "resize256-crop224");
    FeatureCache.Group otherCheckpoint = new FeatureCache.Group("ff00", "fashion-mnist", "0123456789abcdef", "resize37-crop32");

    List<Path> files = List.of(
        cache.file(GROUP, "train", "feature1"), cache.file(GROUP, "test", "feature1"),
        cache.file(GROUP, "train", "avgpool"), cache.file(otherView, "train", "feature1"),
        cache.file(otherCheckpoint, "train", "feature1"));

    assertThat(files).doesNotHaveDuplicates().allSatisfy(f -> assertThat(f.startsWith(dir)).isTrue());
    assertThatThrownBy(() -> cache.file(GROUP, "../x", "feature1")).hasMessageContaining("split");
  }

  @Test
  void aCorruptEntryIsDroppedSoItCanBeExtractedAgain(@TempDir Path dir) throws Exception {
    FeatureCache cache = new FeatureCache(dir);
    FeatureMatrix matrix = FeatureFileTest.random(5, 4, 3);
    try (ShardedFeatureFile.Writer writer = cache.writer(GROUP, "train", "avgpool", 5, 4)) {
      writer.append(matrix.rawData(), 0, 5);
      writer.commit();
    }
    assertThat(cache.read(GROUP, "train", "avgpool")).hasValueSatisfying(m -> assertThat(m.rawData()).containsExactly(matrix.rawData()));

    Path file = cache.file(GROUP, "train", "avgpool");
    byte[] bytes = Files.readAllBytes(file);
    bytes[20] ^= 1;
    Files.write(file, bytes);

    assertThat(cache.read(GROUP, "train", "avgpool")).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void concurrentEvaluatorsExtractOnce(@TempDir Path dir) throws Exception {
    // two caches on one directory stand for two evaluator processes; four threads race
    List<FeatureCache> caches = List.of(new FeatureCache(dir), new FeatureCache(dir));
    AtomicInteger extractions = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<FeatureMatrix>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        FeatureCache cache = caches.get(i % 2);
        results.add(pool.submit(() -> {
          start.await();
          return cache.locked(GROUP, () -> {
            if (!cache.contains(GROUP, "train", "feature5")) {
              extractions.incrementAndGet();
              FeatureFile.write(cache.file(GROUP, "train", "feature5"), FeatureFileTest.random(8, 8, 9));
            }
            return cache.read(GROUP, "train", "feature5").orElseThrow();
          });
        }));
      }
      start.countDown();
      for (Future<FeatureMatrix> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS).rows()).isEqualTo(8);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(extractions).hasValue(1);
  }
}
