package io.rotnet.evaluator.perf;

import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.evaluator.features.BackboneFeatures;
import io.rotnet.evaluator.run.CheckpointEvaluator;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.VerifiedCheckpoint;

/** Extractors over a verified checkpoint, loaded only when features are missing. */
final class CheckpointBackbone {
  private CheckpointBackbone() {}

  static BackboneFeatures.ExtractorFactory factory(
      CheckpointReader reader, VerifiedCheckpoint checkpoint, Preprocessing view, int batch) {
    return () -> CheckpointEvaluator.openExtractor(
        reader, checkpoint.location(), checkpoint.manifestSha256(), view, batch);
  }
}
