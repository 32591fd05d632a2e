package io.rotnet.evaluator.perf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureExtractor;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;

/** Extractors over a freshly initialised (untrained) network: the baseline of the fidelity figure. */
final class RandomBackbone {
  private RandomBackbone() {}

  /** Cache identity of a random initialisation. */
  static String identity(ModelSpec spec, int seed) {
    return "random-" + spec.architecture() + "-" + spec.inputSize() + "-seed" + seed;
  }

  static BackboneFeatures.ExtractorFactory factory(ModelSpec spec, int seed, Preprocessing view, int batch) {
    return () -> {
      NDManager manager = NDManager.newBaseManager();
      Engine.getInstance().setRandomSeed(seed);
      RotNetModel model = RotNetModel.newInitialized(spec, manager);
      FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(model.backbone()).setManager(manager)
          .optView(view).optBatchSize(batch).build();
      return BackboneFeatures.OpenedExtractor.of(extractor, manager);
    };
  }
}
