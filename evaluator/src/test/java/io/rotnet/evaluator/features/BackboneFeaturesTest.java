package io.rotnet.evaluator.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.FeatureMatrix;
import io.rotnet.evaluator.benchmark.FeatureShards;
import io.rotnet.evaluator.benchmark.TapFeatures;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.DatasetSpec;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.run.Fixtures;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.Tap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneFeaturesTest {

  @Test
  void extractsEveryTapOnceAndServesItFromTheCacheAfterwards(@TempDir Path dir) throws Exception {
    EvalDataset dataset = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 21, 9)).open();
    FeatureCache cache = new FeatureCache(dir.resolve("cache"));
    FeatureCache.Group group = new FeatureCache.Group("random42", dataset.name(), dataset.fingerprint(), "v");
    AtomicInteger opened = new AtomicInteger();
    Engine.getInstance().setRandomSeed(42);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(Fixtures.TINY, manager);
      BackboneFeatures.ExtractorFactory factory = () -> {
        opened.incrementAndGet();
        FeatureExtractor extractor = FeatureExtractor.builder()
            .setBackbone(model.backbone()).setManager(manager).optBatchSize(8).build();
        return BackboneFeatures.OpenedExtractor.of(extractor, null);
      };
      BackboneFeatures features = new BackboneFeatures(cache, group, dataset, factory);

      features.prepare(EnumSet.allOf(Tap.class));
      features.prepare(EnumSet.of(Tap.FEATURE3, Tap.AVGPOOL));
      new BackboneFeatures(cache, group, dataset, factory).prepare(EnumSet.allOf(Tap.class));

      assertThat(opened).hasValue(1);
      for (Tap tap : Tap.values()) {
        TapFeatures loaded = features.load(tap);
        assertThat(loaded.train().rows()).isEqualTo(21);
        assertThat(loaded.test().rows()).isEqualTo(9);
        assertThat((long) loaded.train().dims()).as(tap.label()).isEqualTo(tap.dims(Fixtures.TINY));
      }
      // the pooled-only path (avgpool alone) gives the same values as the full forward
      TapFeatures full = features.load(Tap.AVGPOOL);
      Files.delete(cache.file(group, "train", "avgpool"));
      features.prepare(EnumSet.of(Tap.AVGPOOL));
      assertThat(opened).hasValue(2);
      float[] again = features.load(Tap.AVGPOOL).train().rawData();
      float[] before = full.train().rawData();
      for (int i = 0; i < before.length; i++) {
        assertThat(again[i]).isCloseTo(before[i], org.assertj.core.api.Assertions.within(1e-4f));
      }
    }
  }

  @Test
  void trainRowsAreExtractedAloneOrReadFromTheWholeCachedSplit(@TempDir Path dir) throws Exception {
    EvalDataset dataset = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 21, 9)).open();
    FeatureCache cache = new FeatureCache(dir.resolve("cache"));
    FeatureCache.Group group = new FeatureCache.Group("random7", dataset.name(), dataset.fingerprint(), "v");
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger images = new AtomicInteger();
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(Fixtures.TINY, manager);
      BackboneFeatures features = new BackboneFeatures(cache, group, dataset, () -> {
        opened.incrementAndGet();
        FeatureExtractor extractor = FeatureExtractor.builder()
            .setBackbone(model.backbone()).setManager(manager).optBatchSize(7).build();
        return BackboneFeatures.OpenedExtractor.of(extractor, null);
      });

      // batches of 7 from row 7 are the whole split's second and third batches: the same values
      float[] part = features.trainRows(Tap.AVGPOOL, 7, 21).range(0, 14).shard(0).rawData();
      assertThat(opened).hasValue(1);
      assertThat(cache.contains(group, "train-rows-7-21", "avgpool")).isTrue();
      assertThat(cache.contains(group, "train", "avgpool")).isFalse();

      features.prepare(EnumSet.of(Tap.AVGPOOL));
      assertThat(opened).hasValue(2);
      FeatureMatrix whole = features.load(Tap.AVGPOOL).train();
      assertThat(part).containsExactly(whole.slice(7, 14).rawData());
      FeatureShards fromWhole = features.trainRows(Tap.AVGPOOL, 3, 10);
      assertThat(opened).as("served from the whole split").hasValue(2);
      assertThat(fromWhole.rows()).isEqualTo(7);
      assertThat(fromWhole.shard(0).rawData()).containsExactly(whole.slice(3, 7).rawData());
    }
  }

  @Test
  void pipelinedExtractionGivesTheSameFeaturesWhateverTheBatchAndDecodeThreads(@TempDir Path dir) throws Exception {
    EvalDataset dataset = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 11, 3)).open();
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(Fixtures.TINY, manager);
      float[][] results = new float[2][];
      int[][] settings = {{11, 1}, {4, 3}}; // one batch on one thread; three batches, the last short
      for (int s = 0; s < 2; s++) {
        float[] out = new float[11 * (int) Tap.FEATURE5.dims(Fixtures.TINY)];
        int[] row = {0};
        try (FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(model.backbone()).setManager(manager)
            .optBatchSize(settings[s][0]).optDecodeThreads(settings[s][1]).build()) {
          extractor.extract(dataset.train().images(), EnumSet.of(Tap.FEATURE2, Tap.FEATURE5), (tap, values, rows) -> {
            if (tap == Tap.FEATURE5) {
              System.arraycopy(values, 0, out, row[0] * (values.length / rows), values.length);
              row[0] += rows;
            }
          }, "shapes");
        }
        assertThat(row[0]).isEqualTo(11);
        results[s] = out;
      }
      for (int i = 0; i < results[0].length; i++) {
        assertThat(results[1][i]).isCloseTo(results[0][i], org.assertj.core.api.Assertions.within(1e-4f));
      }
    }
  }

  @Test
  void aFullDiskStopsExtractionWithAClearMessageAndLeavesNothingTrusted(@TempDir Path dir) throws Exception {
    EvalDataset dataset = DatasetSpec.parse("shapes=idx:" + Fixtures.idxDataset(dir.resolve("data"), 6, 3)).open();
    FeatureCache cache = new FeatureCache(dir.resolve("cache")).withSpaceProbe(p -> 1000);
    FeatureCache.Group group = new FeatureCache.Group("random1", dataset.name(), dataset.fingerprint(), "v");

    BackboneFeatures features = new BackboneFeatures(cache, group, dataset, tinyExtractor());

    assertThatThrownBy(() -> features.prepare(EnumSet.of(Tap.AVGPOOL, Tap.FEATURE1)))
        .isInstanceOf(BackboneFeatures.CacheFullException.class)
        .hasMessageContaining("MiB free").hasMessageContaining(cache.directory().toString());
    for (Tap tap : EnumSet.of(Tap.AVGPOOL, Tap.FEATURE1)) {
      assertThat(cache.contains(group, "train", tap.label())).isFalse();
    }
  }

  @Test
  void anUnreadableImageIsRefusedByNameAndLeavesNothingTrusted(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("pets");
    for (String file : new String[] {"train/cat/a.png", "train/dog/b.png", "val/cat/c.png", "val/dog/d.png"}) {
      Files.createDirectories(root.resolve(file).getParent());
      javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png", root.resolve(file).toFile());
    }
    Files.write(root.resolve("train/dog/broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});
    EvalDataset dataset = DatasetSpec.parse("pets=imagefolder:" + root).open();
    FeatureCache cache = new FeatureCache(dir.resolve("cache"));
    FeatureCache.Group group = new FeatureCache.Group("random1", dataset.name(), dataset.fingerprint(), "v");

    BackboneFeatures features = new BackboneFeatures(cache, group, dataset, tinyExtractor());

    assertThatThrownBy(() -> features.prepare(EnumSet.of(Tap.AVGPOOL)))
        .isInstanceOf(DatasetException.class).hasMessageContaining("broken.jpg");
    assertThat(cache.contains(group, "train", "avgpool")).isFalse();
    try (var left = Files.walk(cache.directory())) {
      assertThat(left.map(Path::toString)).noneMatch(p -> p.endsWith(".tmp") || p.endsWith(".feat"));
    }
  }

  /** A random tiny backbone, built on demand and freed with the extractor. */
  private static BackboneFeatures.ExtractorFactory tinyExtractor() {
    return () -> {
      NDManager manager = NDManager.newBaseManager();
      FeatureExtractor extractor = FeatureExtractor.builder()
          .setBackbone(RotNetModel.newInitialized(Fixtures.TINY, manager).backbone()).setManager(manager)
          .optBatchSize(4).build();
      return BackboneFeatures.OpenedExtractor.of(extractor, manager);
    };
  }

  @Test
  void theViewFollowsTheBackboneInputSize() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(Fixtures.TINY, manager);
      try (FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(model.backbone()).setManager(manager).build()) {
        assertThat(extractor.view()).isEqualTo(Preprocessing.forInputSize(32));
      }
    }
  }
}
