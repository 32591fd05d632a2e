package io.rotnet.evaluator.perf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.features.FeatureExtractor;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.Tap;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Feature-extraction throughput of a frozen backbone (decode, preprocessing, inference and tap
 * pooling): every tap against the AvgPool feature alone, side by side on the same images.
 */
public final class ExtractionTiming {
  private ExtractionTiming() {}

  public record Result(String architecture, int inputSize, int images, int batch, double allTapsPerSecond,
      double avgPoolPerSecond) {
    public List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "feature extraction, %s at %d px, %d images, batch %d:", architecture, inputSize, images, batch),
          String.format(Locale.ROOT, "  all six taps     %8.1f img/s", allTapsPerSecond),
          String.format(Locale.ROOT, "  avgpool only     %8.1f img/s", avgPoolPerSecond));
    }
  }

  /** Extracts the first {@code images} images of the split twice after a warm-up batch. */
  public static Result run(ModelSpec spec, DatasetSplit split, int images, int batch) throws IOException {
    int[] first = new int[Math.min(images, split.size())];
    for (int i = 0; i < first.length; i++) {
      first[i] = i;
    }
    DatasetSplit subset = split.subset(first);
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager();
        FeatureExtractor extractor = FeatureExtractor.builder()
            .setBackbone(RotNetModel.newInitialized(spec, manager).backbone()).setManager(manager)
            .optBatchSize(batch).build()) {
      FeatureExtractor.BatchSink discard = (tap, values, rows) -> { };
      extractor.extract(split.subset(new int[] {0}).images(), EnumSet.allOf(Tap.class), discard, "warm-up");
      double all = extractor.extract(subset.images(), EnumSet.allOf(Tap.class), discard, "all taps");
      double pooled = extractor.extract(subset.images(), EnumSet.of(Tap.AVGPOOL), discard, "avgpool");
      return new Result(spec.architecture(), spec.inputSize(), first.length, batch, all, pooled);
    }
  }
}
