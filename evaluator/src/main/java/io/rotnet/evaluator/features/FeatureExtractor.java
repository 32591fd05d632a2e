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
import ai.djl.ndarray.NDArrays;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs images through a frozen backbone in inference mode (BatchNorm with its running statistics)
 * and pools the requested taps the way the benchmarks read them ({@link FeatureTaps}: fixed or
 * adaptive pooling to the 12/6/4/3/2 grids, global average for AvgPool).
 *
 * <p>Decode and preprocessing of batch {@code b + 1} run on a persistent pool of decode threads
 * (made once per extractor, closed with it) while the engine runs batch {@code b}: two pixel
 * buffers take turns. The pooled taps of a batch are concatenated on the engine and copied out in
 * one transfer. Each batch lives in its own {@link NDManager} sub-manager, closed before the next
 * one starts.
 */
public final class FeatureExtractor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

  private final Backbone backbone;
  private final NDManager manager;
  private final Preprocessing view;
  private final int batchSize;
  private final int decodeThreads;
  private final ExecutorService decoders;

  private FeatureExtractor(Builder builder) {
    this.backbone = builder.backbone;
    this.manager = builder.manager;
    this.view = builder.view;
    this.batchSize = builder.batchSize;
    this.decodeThreads = builder.decodeThreads;
    AtomicInteger serial = new AtomicInteger();
    this.decoders = Executors.newFixedThreadPool(decodeThreads, runnable -> {
      Thread thread = new Thread(runnable, "rotnet-decode-" + serial.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  public Preprocessing view() {
    return view;
  }

  /** Stops the decode threads. */
  @Override
  public void close() {
    decoders.shutdownNow();
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
    List<Tap> wanted = List.copyOf(EnumSet.copyOf(taps));
    boolean pooledOnly = wanted.equals(List.of(Tap.AVGPOOL));
    if (!pooledOnly && backbone.spec().isNin()) {
      throw new IllegalArgumentException("taps " + wanted + " are ResNet's; a network-in-network has"
          + " avgpool here and its blocks in the blocks-linear / blocks-nonlinear benchmarks");
    }
    int perImage = view.valuesPerImage();
    long started = System.nanoTime();
    long lastLog = started;
    int total = images.size();
    float[][] buffers = {new float[Math.min(batchSize, total) * perImage], new float[Math.min(batchSize, total) * perImage]};
    List<Future<?>> next = decode(images, 0, total, buffers[0], perImage);
    for (int start = 0, turn = 0; start < total; start += batchSize, turn ^= 1) {
      if (Thread.currentThread().isInterrupted()) {
        cancel(next);
        throw new java.io.InterruptedIOException("feature extraction of " + what + " interrupted");
      }
      int count = Math.min(batchSize, total - start);
      await(next, what);
      float[] pixels = buffers[turn];
      next = start + count < total ? decode(images, start + count, total, buffers[turn ^ 1], perImage) : List.of();
      try (NDManager batch = manager.newSubManager()) {
        NDArray input = batch.create(java.nio.FloatBuffer.wrap(pixels, 0, count * perImage),
            new Shape(count, 3, view.crop(), view.crop()));
        ParameterStore store = new ParameterStore(batch, false);
        if (pooledOnly) {
          NDArray pooled = backbone.forwardPooled(store, input, false);
          sink.accept(Tap.AVGPOOL, pooled.toFloatArray(), count);
        } else {
          emitTaps(backbone.forward(store, new NDList(input), false), wanted, count, sink);
        }
      } catch (IOException | RuntimeException e) {
        cancel(next);
        throw e;
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

  /** Pools every tap, concatenates them per image and copies the batch out once. */
  private static void emitTaps(NDList outputs, List<Tap> wanted, int count, BatchSink sink) throws IOException {
    NDList pooled = new NDList();
    int[] widths = new int[wanted.size()];
    for (int t = 0; t < wanted.size(); t++) {
      Tap tap = wanted.get(t);
      // the backbone's last output is already the global average [N, C]
      NDArray one = tap == Tap.AVGPOOL ? outputs.get(tap.index()) : FeatureTaps.pool(tap, outputs.get(tap.index()));
      NDArray flat = one.reshape(count, -1);
      widths[t] = (int) flat.getShape().get(1);
      pooled.add(flat);
    }
    float[] all = NDArrays.concat(pooled, 1).toFloatArray();
    int rowWidth = all.length / count;
    int offset = 0;
    for (int t = 0; t < wanted.size(); t++) {
      float[] values = new float[count * widths[t]];
      for (int r = 0; r < count; r++) {
        System.arraycopy(all, r * rowWidth + offset, values, r * widths[t], widths[t]);
      }
      offset += widths[t];
      sink.accept(wanted.get(t), values, count);
    }
  }

  /** Starts decoding the batch at {@code start} into {@code pixels}, one task per decode thread. */
  private List<Future<?>> decode(ImageSource images, int start, int total, float[] pixels, int perImage) {
    int count = Math.min(batchSize, total - start);
    int tasks = Math.min(decodeThreads, count);
    List<Future<?>> futures = new ArrayList<>(tasks);
    for (int w = 0; w < tasks; w++) {
      int first = w;
      futures.add(decoders.submit(() -> {
        for (int i = first; i < count; i += tasks) {
          view.apply(images.read(start + i), pixels, i * perImage);
        }
      }));
    }
    return futures;
  }

  private static void await(List<Future<?>> futures, String what) throws IOException {
    try {
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      cancel(futures);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("feature extraction of " + what + " interrupted");
    } catch (ExecutionException e) {
      cancel(futures);
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  private static void cancel(List<Future<?>> futures) {
    for (Future<?> future : futures) {
      future.cancel(true);
    }
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
