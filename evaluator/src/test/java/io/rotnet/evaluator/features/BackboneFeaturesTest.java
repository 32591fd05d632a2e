package io.rotnet.evaluator.features;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.benchmark.TapFeatures;
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
        return new BackboneFeatures.OpenedExtractor() {
          @Override
          public FeatureExtractor extractor() {
            return extractor;
          }

          @Override
          public void close() {
            extractor.close();
          }
        };
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
  void theViewFollowsTheBackboneInputSize() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(Fixtures.TINY, manager);
      try (FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(model.backbone()).setManager(manager).build()) {
        assertThat(extractor.view()).isEqualTo(Preprocessing.forInputSize(32));
      }
    }
  }
}
