package io.rotnet.evaluator.perf;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.features.FeatureExtractor;
import io.rotnet.evaluator.run.CheckpointLoadException;
import io.rotnet.model.checkpoint.CheckpointException;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;

/** Extractors over a verified checkpoint, loaded only when features are missing. */
final class CheckpointBackbone {
  private CheckpointBackbone() {}

  static BackboneFeatures.ExtractorFactory factory(
      CheckpointReader reader, VerifiedCheckpoint checkpoint, Preprocessing view, int batch) {
    return () -> {
      NDManager manager = NDManager.newBaseManager();
      try {
        LoadedCheckpoint loaded = reader.load(checkpoint.location(), null, checkpoint.manifestSha256(), manager);
        FeatureExtractor extractor = FeatureExtractor.builder().setBackbone(loaded.model().backbone())
            .setManager(manager).optView(view).optBatchSize(batch).build();
        return new BackboneFeatures.OpenedExtractor() {
          @Override
          public FeatureExtractor extractor() {
            return extractor;
          }

          @Override
          public void close() {
            manager.close();
          }
        };
      } catch (CheckpointException e) {
        manager.close();
        throw new CheckpointLoadException(e);
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    };
  }
}
