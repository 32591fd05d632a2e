package io.rotnet.evaluator.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.FeatureTaps;
import io.rotnet.model.GradMode;
import io.rotnet.model.Backbone;
import io.rotnet.model.Tap;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs images through a frozen backbone in inference mode (BatchNorm with its running statistics)
 * and pools the requested taps the way the benchmarks read them ({@link FeatureTaps}: fixed or
 * adaptive pooling to the 12/6/4/3/2 grids, global average for AvgPool). Each batch lives in its
 * own {@link NDManager} sub-manager, closed before the next one starts; images are decoded and
 * preprocessed on a few threads while the engine uses its own.
 */
public final class FeatureExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

  private final Backbone backbone;
  private final NDManager manager;
  private final Preprocessing view;
  private final int batchSize;
  private final int decodeThreads;

  private FeatureExtractor(Builder builder) {
    this.backbone = builder.backbone;
    this.manager = builder.manager;
    this.view = builder.view;
    this.batchSize = builder.batchSize;
    this.decodeThreads = builder.decodeThreads;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Preprocessing view() {
    return view;
  }

  /**
   * Extracts {@code taps} for every image, handing each batch to {@code sink} in image order.
   *
   * @return images per second of the whole pass (decode, preprocessing and inference)
   */
  public double extract(ImageSource images, Set<Tap> taps, BatchSink sink, String what)
      throws IOException {
    if (taps.isEmpty()) {
      return 0;
    }
    // inference only: no autograd graph on whatever thread extracts
    GradMode.disableOnThisThread();
    Set<Tap> wanted = EnumSet.copyOf(taps);
    boolean pooledOnly = wanted.equals(EnumSet.of(Tap.AVGPOOL));
    if (!pooledOnly && backbone.spec().isNin()) {
      throw new IllegalArgumentException("taps " + wanted + " are ResNet's; a network-in-network has"
          + " avgpool here and its blocks in the blocks-linear / blocks-nonlinear benchmarks");
    }
    int perImage = view.valuesPerImage();
    long started = System.nanoTime();
    long lastLog = started;
    int total = images.size();
    for (int start = 0; start < total; start += batchSize) {
      if (Thread.currentThread().isInterrupted()) {
        throw new java.io.InterruptedIOException("feature extraction of " + what + " interrupted");
      }
      int count = Math.min(batchSize, total - start);
      float[] pixels = new float[count * perImage];
      int first = start;
      Parallel.forEach(count, decodeThreads, i -> view.apply(images.read(first + i), pixels, i * perImage));
      try (NDManager batch = manager.newSubManager()) {
        NDArray input = batch.create(pixels, new Shape(count, 3, view.crop(), view.crop()));
        ParameterStore store = new ParameterStore(batch, false);
        if (pooledOnly) {
          NDArray pooled = backbone.forwardPooled(store, input, false);
          sink.accept(Tap.AVGPOOL, pooled.toFloatArray(), count);
        } else {
          NDList outputs = backbone.forward(store, new NDList(input), false);
          for (Tap tap : wanted) {
            // the backbone's last output is already the global average [N, C]
            NDArray pooled = tap == Tap.AVGPOOL
                ? outputs.get(tap.index())
                : FeatureTaps.pool(tap, outputs.get(tap.index()));
            sink.accept(tap, pooled.toFloatArray(), count);
          }
        }
      }
      long now = System.nanoTime();
      if (now - lastLog > 30_000_000_000L) {
        LOG.info("{}: {}/{} images, {} img/s", what, start + count, total,
            String.format(java.util.Locale.ROOT, "%.1f", (start + count) / ((now - started) / 1e9)));
        lastLog = now;
      }
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    return total / seconds;
  }

  /** Receives the pooled features of one tap for one batch, row-major. */
  @FunctionalInterface
  public interface BatchSink {
    void accept(Tap tap, float[] values, int rows) throws IOException;
  }

  /** Settings: backbone and manager are required. */
  public static final class Builder {
    private Backbone backbone;
    private NDManager manager;
    private Preprocessing view;
    private int batchSize = 64;
    private int decodeThreads = Parallel.defaultThreads();

    private Builder() {}

    /** The frozen backbone (its parameters live in {@code manager} or a parent of it). */
    public Builder setBackbone(Backbone backbone) {
      this.backbone = Objects.requireNonNull(backbone, "backbone");
      return this;
    }

    /** Parent of the per-batch sub-managers. */
    public Builder setManager(NDManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** The evaluation view; default the reference view scaled to the backbone's input size. */
    public Builder optView(Preprocessing view) {
      this.view = Objects.requireNonNull(view, "view");
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optDecodeThreads(int decodeThreads) {
      this.decodeThreads = decodeThreads;
      return this;
    }

    public FeatureExtractor build() {
      if (backbone == null || manager == null) {
        throw new IllegalArgumentException("a feature extractor needs setBackbone and setManager");
      }
      if (view == null) {
        view = Preprocessing.forInputSize(backbone.spec().inputSize());
      }
      if (batchSize < 1 || decodeThreads < 1) {
        throw new IllegalArgumentException("batch size and decode threads must be >= 1");
      }
      return new FeatureExtractor(this);
    }
  }
}
