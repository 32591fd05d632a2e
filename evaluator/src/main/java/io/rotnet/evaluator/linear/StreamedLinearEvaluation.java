package io.rotnet.evaluator.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.evaluator.benchmark.LinearProbe;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.benchmark.ProbeResult;
import io.rotnet.evaluator.benchmark.Shuffle;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.FeatureTaps;
import io.rotnet.model.GradMode;
import io.rotnet.model.ResNet;
import io.rotnet.model.Tap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear evaluation as the reference trains it. Every epoch the training images are shuffled
 * (seeded by seed and epoch), decoded and given a fresh training view on CPU worker threads
 * (seeded by seed, epoch and image), batched, and passed once through the frozen backbone in
 * inference mode on the engine's device; that one forward feeds every head (the five multi-head
 * taps, or the AvgPool head), whose BatchNorm statistics and SGD steps run on the engine as well.
 * The test split is scored with the evaluation view (resize 256, centre crop 224, scaled to the
 * backbone's input side) and the BatchNorm running statistics.
 *
 * <p>Resumable: every {@code saveEvery} steps and at the end of every epoch the heads, their
 * momentum buffers and BatchNorm statistics, the epoch, the next batch and the loss so far are
 * saved under the state directory, keyed by the run (checkpoint, dataset, preset, taps, seed);
 * a new run with the same key, in this process or another instance, continues from there. With
 * fixed seeds on CPU a resumed run ends with the same heads, bit for bit, as an uninterrupted one.
 *
 * <p>Unreadable images are skipped, logged once and counted in the outcome. A batch left with a
 * single image is skipped in training, as BatchNorm cannot standardize one example.
 */
public final class StreamedLinearEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedLinearEvaluation.class);
  private static final long PROGRESS_NANOS = 30_000_000_000L;

  private final ResNet backbone;
  private final NDManager manager;
  private final LinearPreset preset;
  private final List<Tap> taps;
  private final long seed;
  private final int workers;
  private final int ahead;
  private final Path stateDir;
  private final int saveEvery;
  private final Preprocessing testView;
  private final TrainView trainView;
  private final StepListener listener;
  private final boolean everyClass;

  private StreamedLinearEvaluation(Builder builder) {
    this.backbone = builder.backbone;
    this.manager = builder.manager;
    this.preset = builder.preset;
    this.taps = List.copyOf(builder.taps);
    this.seed = builder.seed;
    this.workers = builder.workers;
    this.ahead = builder.ahead;
    this.stateDir = builder.stateDir;
    this.saveEvery = builder.saveEvery;
    int side = builder.inputSize > 0 ? builder.inputSize : backbone.spec().inputSize();
    this.testView = builder.testView != null ? builder.testView : Preprocessing.forInputSize(side);
    this.trainView = new TrainView(preset.trainView(), testView.crop());
    this.listener = builder.listener;
    this.everyClass = builder.everyClass;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Called after every training step (tests use it to stop a run part-way). */
  @FunctionalInterface
  public interface StepListener {
    void afterStep(int epoch, int batch);
  }

  /** The taps a preset's heads read by default. */
  public static Set<Tap> defaultTaps(LinearPreset.Heads heads) {
    return heads == LinearPreset.Heads.AVGPOOL
        ? EnumSet.of(Tap.AVGPOOL)
        : EnumSet.of(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5);
  }

  /**
   * Trains the heads on {@code dataset}'s training split and scores them on its test split.
   *
   * @param runKey identifies what is evaluated (e.g. the checkpoint's manifest sha256 and the
   *     dataset's fingerprint); the state of another key is never resumed
   * @throws InterruptedException when the thread is interrupted; the last saved state remains
   */
  public LinearOutcome run(EvalDataset dataset, String runKey) throws IOException, InterruptedException {
    if (everyClass) {
      ClassCoverage.require(dataset);
    }
    GradMode.disableOnThisThread();
    String key = runKey + "|" + preset.describe() + "|" + taps + "|seed" + seed + "|" + trainView + "|"
        + testView.describe();
    Path dir = stateDir == null ? null : stateDir.resolve(sha256(key).substring(0, 32));
    try (NDManager headManager = manager.newSubManager()) {
      List<LinearHead> heads = createHeads(headManager, dataset.classCount());
      LinearState state = resume(dir, key, heads);
      int[] resumedAt = state.epoch > 0 || state.nextBatch > 0 ? new int[] {state.epoch, state.nextBatch} : null;
      double rate = train(dataset.train(), heads, state, dir);
      Tested tested = test(dataset.test(), heads);
      List<ProbeResult> results = new ArrayList<>();
      for (int h = 0; h < heads.size(); h++) {
        double[] losses = new double[state.epochLoss.size()];
        for (int e = 0; e < losses.length; e++) {
          losses[e] = state.epochLoss.get(e)[h];
        }
        results.add(new ProbeResult(heads.get(h).name, tested.top1[h], tested.top5[h], losses));
      }
      return new LinearOutcome(results, state.unreadableTrain.size(), tested.unreadable, resumedAt, rate);
    } catch (CancellationException e) {
      throw new InterruptedException("linear evaluation interrupted");
    }
  }

  private List<LinearHead> createHeads(NDManager headManager, int classes) {
    Random random = new Random(seed);
    List<LinearHead> heads = new ArrayList<>();
    for (Tap tap : taps) {
      boolean norm = preset.heads() == LinearPreset.Heads.MULTI_HEAD && tap != Tap.AVGPOOL;
      int spatial = tap.grid() * tap.grid();
      heads.add(new LinearHead(headManager, tap.label(), tap.channels(backbone.spec()), spatial, classes, norm, random));
    }
    return heads;
  }

  private LinearState resume(Path dir, String key, List<LinearHead> heads) throws IOException {
    Optional<LinearState> saved = dir == null ? Optional.empty() : LinearState.load(dir, key);
    if (saved.isEmpty()) {
      LinearState fresh = new LinearState(key, heads.size());
      fresh.heads = snapshot(heads);
      return fresh;
    }
    LinearState state = saved.get();
    if (state.heads.length != heads.size()) {
      throw new IOException("saved state in " + dir + " has " + state.heads.length + " heads, expected " + heads.size());
    }
    for (int h = 0; h < heads.size(); h++) {
      heads.get(h).restore(state.heads[h]);
    }
    LOG.info("linear {}: resuming at epoch {} batch {} from {}", preset.name(), state.epoch + 1, state.nextBatch, dir);
    return state;
  }

  private double train(DatasetSplit split, List<LinearHead> heads, LinearState state, Path dir)
      throws IOException, InterruptedException {
    int n = split.size();
    int batchSize = preset.batchSize();
    int perEpoch = (n + batchSize - 1) / batchSize;
    int[] labels = split.labels();
    long started = System.nanoTime();
    long lastLog = started;
    long images = 0;
    int steps = 0;
    try (ImageBatches batches = new ImageBatches(split.images(), null, trainView.valuesPerImage(), workers)) {
      for (int epoch = state.epoch; epoch < preset.epochs(); epoch++) {
        int e = epoch;
        int[] order = order(n, epoch);
        double lr = preset.learningRateAt(epoch);
        batches.transform((image, position, out, offset) -> trainView.apply(image, seed, e, position, out, offset));
        for (ImageBatches.Batch batch : batches.batches(state.nextBatch, perEpoch, ahead,
            b -> Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize)))) {
          if (Thread.interrupted()) {
            throw new InterruptedException("linear evaluation interrupted at epoch " + (epoch + 1));
          }
          noteUnreadable(split, batch, state);
          if (batch.count() >= 2) {
            step(batch, labels, heads, lr, state);
            images += batch.count();
          }
          state.nextBatch = batch.index() + 1;
          steps++;
          if (dir != null && saveEvery > 0 && steps % saveEvery == 0) {
            save(state, heads, dir);
          }
          listener.afterStep(epoch, batch.index());
          long now = System.nanoTime();
          if (now - lastLog > PROGRESS_NANOS) {
            LOG.info("linear {}: epoch {}/{} batch {}/{}, {} img/s", preset.name(), epoch + 1, preset.epochs(),
                batch.index() + 1, perEpoch, String.format(Locale.ROOT, "%.1f", images / ((now - started) / 1e9)));
            lastLog = now;
          }
        }
        double[] loss = new double[heads.size()];
        for (int h = 0; h < loss.length; h++) {
          loss[h] = state.epochImages == 0 ? Double.NaN : state.epochLossSum[h] / state.epochImages;
        }
        state.epochLoss.add(loss);
        state.epochLossSum = new double[heads.size()];
        state.epochImages = 0;
        state.epoch = epoch + 1;
        state.nextBatch = 0;
        if (dir != null) {
          save(state, heads, dir);
        }
      }
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    return images / seconds;
  }

  private void step(ImageBatches.Batch batch, int[] labels, List<LinearHead> heads, double lr, LinearState state) {
    int count = batch.count();
    int[] batchLabels = new int[count];
    for (int i = 0; i < count; i++) {
      batchLabels[i] = labels[batch.images()[i]];
    }
    try (NDManager step = manager.newSubManager()) {
      for (LinearHead head : heads) {
        head.attachTo(step);
      }
      NDArray oneHot = step.create(batchLabels).oneHot(heads.get(0).classes);
      NDList features = features(step, batch.pixels(), count);
      for (int h = 0; h < heads.size(); h++) {
        LinearHead head = heads.get(h);
        NDArray inputs = head.norm ? head.normalizeTraining(features.get(h)) : features.get(h);
        state.epochLossSum[h] += head.step(inputs, oneHot, lr, preset.momentum(), preset.nesterov(), preset.weightDecay());
      }
    }
    state.epochImages += count;
  }

  /** One backbone forward in inference mode, pooled for every head, [N, dims] each. */
  private NDList features(NDManager step, float[] pixels, int count) {
    int side = trainView.size();
    int values = count * 3 * side * side;
    float[] data = pixels.length == values ? pixels : Arrays.copyOf(pixels, values);
    NDArray input = step.create(data, new Shape(count, 3, side, side));
    ParameterStore store = new ParameterStore(step, false);
    NDList pooled = new NDList(taps.size());
    if (taps.equals(List.of(Tap.AVGPOOL))) {
      pooled.add(backbone.forwardPooled(store, input, false));
      return pooled;
    }
    NDList outputs = backbone.forward(store, new NDList(input), false);
    for (Tap tap : taps) {
      pooled.add(tap == Tap.AVGPOOL ? outputs.get(tap.index()) : FeatureTaps.pool(tap, outputs.get(tap.index())));
    }
    return pooled;
  }

  private record Tested(double[] top1, double[] top5, int unreadable) {}

  private Tested test(DatasetSplit split, List<LinearHead> heads) throws InterruptedException {
    int n = split.size();
    int batchSize = preset.batchSize();
    int[] labels = split.labels();
    long[] top1 = new long[heads.size()];
    long[] top5 = new long[heads.size()];
    int unreadable = 0;
    long scored = 0;
    try (ImageBatches batches = new ImageBatches(split.images(), null, testView.valuesPerImage(), workers)) {
      batches.transform((image, position, out, offset) -> testView.apply(image, out, offset));
      for (ImageBatches.Batch batch : batches.batches(0, (n + batchSize - 1) / batchSize, ahead, b -> range(b * batchSize, Math.min(n, (b + 1) * batchSize)))) {
        if (Thread.interrupted()) {
          throw new InterruptedException("linear evaluation interrupted while testing");
        }
        for (int i = 0; i < batch.unreadable().size(); i++) {
          LOG.warn("skipping unreadable test image: {}", batch.reasons().get(i));
        }
        unreadable += batch.unreadable().size();
        if (batch.count() == 0) {
          continue;
        }
        try (NDManager step = manager.newSubManager()) {
          for (LinearHead head : heads) {
            head.attachTo(step);
          }
          NDList features = features(step, batch.pixels(), batch.count());
          for (int h = 0; h < heads.size(); h++) {
            LinearHead head = heads.get(h);
            NDArray inputs = head.norm ? head.normalizeInference(features.get(h)) : features.get(h);
            float[] logits = head.logits(inputs).toFloatArray();
            float[] row = new float[head.classes];
            for (int i = 0; i < batch.count(); i++) {
              System.arraycopy(logits, i * head.classes, row, 0, head.classes);
              int rank = LinearProbe.rankOf(row, labels[batch.images()[i]]);
              top1[h] += rank < 1 ? 1 : 0;
              top5[h] += rank < 5 ? 1 : 0;
            }
          }
        }
        scored += batch.count();
      }
    }
    double[] p1 = new double[heads.size()];
    double[] p5 = new double[heads.size()];
    for (int h = 0; h < heads.size(); h++) {
      p1[h] = 100.0 * top1[h] / Math.max(1, scored);
      p5[h] = 100.0 * top5[h] / Math.max(1, scored);
    }
    return new Tested(p1, p5, unreadable);
  }

  private static void noteUnreadable(DatasetSplit split, ImageBatches.Batch batch, LinearState state) {
    for (int i = 0; i < batch.unreadable().size(); i++) {
      if (state.unreadableTrain.add(batch.unreadable().get(i))) {
        LOG.warn("skipping unreadable training image: {}", batch.reasons().get(i));
      }
    }
  }

  private void save(LinearState state, List<LinearHead> heads, Path dir) throws IOException {
    state.heads = snapshot(heads);
    state.save(dir);
  }

  private static float[][][] snapshot(List<LinearHead> heads) {
    float[][][] values = new float[heads.size()][][];
    for (int h = 0; h < heads.size(); h++) {
      NDArray[] arrays = heads.get(h).arrays();
      values[h] = new float[arrays.length][];
      for (int a = 0; a < arrays.length; a++) {
        values[h][a] = arrays[a].toFloatArray();
      }
    }
    return values;
  }

  /** The epoch's shuffle of the training images, seeded by (seed, epoch). */
  int[] order(int n, int epoch) {
    return Shuffle.permutation(n, TrainView.random(seed, epoch, -1));
  }

  private static int[] range(int from, int to) {
    int[] values = new int[to - from];
    for (int i = 0; i < values.length; i++) {
      values[i] = from + i;
    }
    return values;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Settings: backbone, manager and preset are required. */
  public static final class Builder {
    private ResNet backbone;
    private NDManager manager;
    private LinearPreset preset;
    private Set<Tap> taps;
    private long seed;
    private int workers = Parallel.defaultThreads();
    private int ahead = 2;
    private Path stateDir;
    private int saveEvery;
    private int inputSize;
    private Preprocessing testView;
    private StepListener listener = (epoch, batch) -> {};
    private boolean everyClass = true;

    private Builder() {}

    /** The frozen backbone; its parameters live in {@code manager} or a parent of it. */
    public Builder setBackbone(ResNet backbone) {
      this.backbone = Objects.requireNonNull(backbone, "backbone");
      return this;
    }

    /** Parent of the heads' and the steps' managers, on the device the backbone runs on. */
    public Builder setManager(NDManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    public Builder setPreset(LinearPreset preset) {
      this.preset = Objects.requireNonNull(preset, "preset");
      return this;
    }

    /** Taps with a head (default: the preset's: feature1..5, or avgpool). */
    public Builder optTaps(Set<Tap> taps) {
      this.taps = taps == null || taps.isEmpty() ? null : EnumSet.copyOf(taps);
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** CPU threads decoding and augmenting images. */
    public Builder optWorkers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Batches prepared ahead of the one on the engine (default 2). */
    public Builder optAhead(int ahead) {
      this.ahead = ahead;
      return this;
    }

    /** Where the state is saved for resuming (default: none, no resume). */
    public Builder optStateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** Also save every this many steps (default 0: at the end of every epoch only). */
    public Builder optSaveEvery(int steps) {
      this.saveEvery = steps;
      return this;
    }

    /** The network input side (default: the backbone's training input size). */
    public Builder optInputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** Overrides the test view derived from the input size. */
    public Builder optTestView(Preprocessing testView) {
      this.testView = testView;
      return this;
    }

    public Builder optStepListener(StepListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Throughput runs only: labels need not cover every class in both splits. */
    Builder optRequireEveryClass(boolean required) {
      this.everyClass = required;
      return this;
    }

    public StreamedLinearEvaluation build() {
      if (backbone == null || manager == null || preset == null) {
        throw new IllegalArgumentException("a linear evaluation needs setBackbone, setManager and setPreset");
      }
      if (taps == null) {
        taps = defaultTaps(preset.heads());
      }
      if (preset.heads() == LinearPreset.Heads.AVGPOOL && !taps.equals(EnumSet.of(Tap.AVGPOOL))) {
        throw new IllegalArgumentException(preset.name() + " reads the avgpool feature only");
      }
      if (workers < 1 || ahead < 1 || saveEvery < 0) {
        throw new IllegalArgumentException("workers >= 1, ahead >= 1 and saveEvery >= 0 are required");
      }
      return new StreamedLinearEvaluation(this);
    }
  }
}
