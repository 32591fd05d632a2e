package io.rotnet.dense.segmentation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.rotnet.dense.data.Problems;
import io.rotnet.dense.data.SegmentationSample;
import io.rotnet.dense.data.VocClasses;
import io.rotnet.dense.metrics.SegmentationIou;
import io.rotnet.dense.nn.Bilinear;
import io.rotnet.dense.nn.FineTuning;
import io.rotnet.dense.nn.IgnoreCrossEntropy;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes an FCN-D8 from a pretrained backbone and scores it, as mmseg's {@code train.py}
 * then {@code test.py} with the preset's config: every parameter trains (BN in training mode),
 * SGD with momentum and weight decay on every parameter (torch's formulation), poly learning
 * rate per iteration, loss = CE(ignore 255) on the decode logits resized to the label + 0.4 x
 * the same on the auxiliary logits. Batches are drawn epoch by epoch from seeded permutations, so
 * (seed, iteration) fixes each step; the state is saved every {@code checkpointEvery} iterations
 * and a later run with the same key resumes from it. A training image that fails to decode is
 * skipped (counted) and the next one taken.
 */
public final class SegmentationFineTune {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentationFineTune.class);

  private final SegmentationPreset preset;
  private final List<SegmentationSample> train;
  private final List<SegmentationSample> val;
  private final List<String> classes;
  private final long seed;
  private final Path stateFile;
  private final String stateKey;
  private final int stopAt;
  private final ProgressListener listener;
  private final String run;
  private final Problems problems;
  private final SegmentationPipeline pipeline;

  /** The outcome: IoU per class, mIoU, aAcc, the last training loss and how long it took. */
  public record Result(SegmentationIou.Result iou, List<String> classes, double lastLoss, int iterations,
      int resumedFrom, double trainSeconds, double imagesPerSecond) {}

  private SegmentationFineTune(Builder b) {
    this.preset = b.preset;
    this.train = b.train;
    this.val = b.val;
    this.classes = b.classes;
    this.seed = b.seed;
    this.stateFile = b.stateFile;
    this.stateKey = b.stateKey;
    this.stopAt = b.stopAt;
    this.listener = b.listener;
    this.run = b.run;
    this.problems = new Problems("segmentation fine-tune");
    this.pipeline = new SegmentationPipeline(preset);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Problems problems() {
    return problems;
  }

  /**
   * Builds the FCN on a copy of {@code pretrained}'s parameters, trains and evaluates. Returns
   * null when stopped early by {@code optStopAt} (the state is saved).
   */
  public Result run(ResNet pretrained, NDManager parent) throws IOException {
    try (NDManager manager = parent.newSubManager()) {
      ModelSpec spec = pretrained.spec();
      FcnModel model = new FcnModel(spec, classes.size(), preset.channels(), preset.auxChannels(), preset.dropout());
      Engine.getInstance().setRandomSeed((int) seed);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, preset.crop(), preset.crop()));
      int start = 0;
      Map<String, NDArray> momentum = new LinkedHashMap<>();
      FineTuneState saved = stateFile == null ? null : FineTuneState.read(stateFile, stateKey);
      if (saved != null) {
        FineTuning.load(model, saved.parameters(), manager);
        start = saved.iteration();
        for (Map.Entry<String, float[]> e : saved.momentum().entrySet()) {
          Parameter p = parameter(model, e.getKey());
          momentum.put(e.getKey(), manager.create(e.getValue(), p.getArray().getShape()));
        }
        LOG.info("resuming {} at iteration {} of {}", preset.name(), start, preset.iterations());
      } else {
        FineTuning.load(model.backbone(), FineTuning.save(pretrained), manager);
      }
      for (Pair<String, Parameter> p : model.getParameters()) {
        if (p.getValue().requiresGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      }
      ParameterStore store = new ParameterStore(manager, false);
      double lastLoss = Double.NaN;
      long started = System.nanoTime();
      int end = Math.min(preset.iterations(), stopAt > 0 ? stopAt : Integer.MAX_VALUE);
      for (int it = start; it < end; it++) {
        lastLoss = step(model, store, manager, momentum, it);
        if ((it + 1) % 20 == 0 || it == start) {
          double perIteration = (System.nanoTime() - started) / 1e9 / (it + 1 - start);
          listener.report(run, it + 1, (long) (it + 1) * preset.batchSize(), lastLoss, preset.learningRate(it),
              preset.batchSize() / perIteration);
          LOG.info("{} iteration {}/{}: loss {}, lr {}", preset.name(), it + 1, preset.iterations(),
              String.format(java.util.Locale.ROOT, "%.4f", lastLoss),
              String.format(java.util.Locale.ROOT, "%.6f", preset.learningRate(it)));
        }
        boolean last = it + 1 == end;
        if (stateFile != null && ((it + 1) % preset.checkpointEvery() == 0 || (last && it + 1 < preset.iterations()))) {
          saveState(model, momentum, it + 1);
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      if (end < preset.iterations()) {
        return null;
      }
      SegmentationIou.Result iou = evaluate(model, store);
      if (stateFile != null) {
        Files.deleteIfExists(stateFile);
      }
      int trained = preset.iterations() - start;
      return new Result(iou, classes, lastLoss, preset.iterations(), start, seconds,
          trained * preset.batchSize() / Math.max(seconds, 1e-9));
    }
  }

  private double step(FcnModel model, ParameterStore store, NDManager manager, Map<String, NDArray> momentum, int it) {
    int b = preset.batchSize();
    int crop = preset.crop();
    float[] images = new float[b * 3 * crop * crop];
    int[] labels = new int[b * crop * crop];
    Random random = new Random(seed * 7919 + it);
    for (int i = 0; i < b; i++) {
      SegmentationPipeline.Crop c = pipeline.train(nextSample(it * b + i), random);
      System.arraycopy(c.image(), 0, images, i * c.image().length, c.image().length);
      System.arraycopy(c.labels(), 0, labels, i * c.labels().length, c.labels().length);
    }
    double loss;
    Engine.getInstance().setRandomSeed((int) (seed * 31 + it)); // dropout masks follow the iteration
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(images, new Shape(b, 3, crop, crop));
      NDArray y = scope.create(labels, new Shape(b, crop, crop));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList out = model.forward(store, new NDList(x), true);
        NDArray main = IgnoreCrossEntropy.loss(Bilinear.resize(out.get(0), crop, crop, false), y, VocClasses.IGNORE, 1f);
        NDArray aux = IgnoreCrossEntropy.loss(Bilinear.resize(out.get(1), crop, crop, false), y, VocClasses.IGNORE,
            preset.auxWeight());
        NDArray total = main.add(aux);
        collector.backward(total);
        loss = total.getFloat();
      }
      update(model, manager, momentum, (float) preset.learningRate(it));
    }
    return loss;
  }

  /** torch.optim.SGD: {@code g += wd * w; buf = m * buf + g; w -= lr * buf}. */
  private void update(FcnModel model, NDManager manager, Map<String, NDArray> momentum, float lr) {
    float m = (float) preset.momentum();
    float wd = (float) preset.weightDecay();
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (!p.getValue().requiresGradient()) {
        continue;
      }
      NDArray w = p.getValue().getArray();
      try (NDArray grad = w.getGradient(); NDArray decay = w.mul(wd)) {
        NDArray g = grad.add(decay);
        NDArray buf = momentum.get(p.getKey());
        if (buf == null) {
          buf = g; // torch: the first buffer is the gradient itself
          buf.attach(manager);
          momentum.put(p.getKey(), buf);
        } else {
          buf.muli(m).addi(g);
          g.close();
        }
        try (NDArray delta = buf.mul(lr)) {
          w.subi(delta);
        }
        grad.subi(grad);
      }
    }
  }

  /** Sample {@code position} of the epoch-by-epoch seeded permutations; undecodable ones are skipped. */
  private SegmentationPipeline.Sample nextSample(int position) {
    int n = train.size();
    for (int attempt = 0; attempt < n; attempt++) {
      int p = position + attempt;
      int epoch = p / n;
      int[] order = FineTuning.permutation(n, seed * 104729 + epoch);
      SegmentationSample sample = train.get(order[p % n]);
      try {
        return SegmentationPipeline.load(sample);
      } catch (DatasetException e) {
        problems.skip(sample.id() + ": " + e.getMessage());
      }
    }
    throw new DatasetException("no training image decodes (" + problems + ")");
  }

  /** Whole-image (or sliding-window) inference on the validation set, then mmseg's IoU. */
  private SegmentationIou.Result evaluate(FcnModel model, ParameterStore store) {
    SegmentationIou iou = new SegmentationIou(classes.size(), VocClasses.IGNORE);
    NDManager manager = store.getManager();
    for (SegmentationSample sample : val) {
      SegmentationPipeline.Sample s;
      try {
        s = SegmentationPipeline.load(sample);
      } catch (DatasetException e) {
        problems.skip(sample.id() + ": " + e.getMessage());
        continue;
      }
      iou.add(predict(model, store, manager, s), s.labels());
    }
    return iou.result();
  }

  /** The predicted label map of one image at its original size. */
  int[] predict(FcnModel model, ParameterStore store, NDManager parent, SegmentationPipeline.Sample s) {
    SegmentationPipeline.TestInput input = pipeline.test(s);
    try (NDManager scope = parent.newSubManager()) {
      NDArray x = scope.create(input.image(), new Shape(1, 3, input.height(), input.width()));
      NDArray logits = preset.slide() ? slide(model, store, x) : whole(model, store, x);
      NDArray original = Bilinear.resize(logits, s.height(), s.width(), false);
      long[] argmax = original.argMax(1).toLongArray();
      int[] out = new int[argmax.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (int) argmax[i];
      }
      return out;
    }
  }

  private static NDArray whole(FcnModel model, ParameterStore store, NDArray x) {
    NDArray logits = model.forward(store, new NDList(x), false).get(0);
    return Bilinear.resize(logits, (int) x.getShape().get(2), (int) x.getShape().get(3), false);
  }

  /** mmseg {@code slide_inference}: crops of the preset's size at its stride, logits averaged. */
  private NDArray slide(FcnModel model, ParameterStore store, NDArray x) {
    int h = (int) x.getShape().get(2);
    int w = (int) x.getShape().get(3);
    int crop = preset.crop();
    int stride = preset.slideStride();
    int gridH = Math.max(h - crop + stride - 1, 0) / stride + 1;
    int gridW = Math.max(w - crop + stride - 1, 0) / stride + 1;
    NDManager m = x.getManager();
    NDArray sum = m.zeros(new Shape(1, classes.size(), h, w));
    NDArray count = m.zeros(new Shape(1, 1, h, w));
    for (int gy = 0; gy < gridH; gy++) {
      for (int gx = 0; gx < gridW; gx++) {
        int y1 = gy * stride;
        int x1 = gx * stride;
        int y2 = Math.min(y1 + crop, h);
        int x2 = Math.min(x1 + crop, w);
        y1 = Math.max(y2 - crop, 0);
        x1 = Math.max(x2 - crop, 0);
        var index = new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, {}:{}", y1, y2, x1, x2);
        NDArray window = x.get(index);
        NDArray logits = whole(model, store, window);
        sum.set(index, sum.get(index).add(logits));
        count.set(index, count.get(index).add(1f));
      }
    }
    return sum.div(count);
  }

  private void saveState(FcnModel model, Map<String, NDArray> momentum, int iteration) {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    momentum.forEach((name, buf) -> buffers.put(name, buf.toFloatArray()));
    try {
      new FineTuneState(stateKey, iteration, FineTuning.save(model), buffers).write(stateFile);
    } catch (IOException e) {
      LOG.warn("could not save the fine-tuning state to {}: {}", stateFile, e.toString());
    }
  }

  private static Parameter parameter(FcnModel model, String name) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getKey().equals(name)) {
        return p.getValue();
      }
    }
    throw new IllegalStateException("saved momentum for unknown parameter " + name);
  }



  /** Settings: preset, data and classes are required. */
  public static final class Builder {
    private SegmentationPreset preset;
    private List<SegmentationSample> train;
    private List<SegmentationSample> val;
    private List<String> classes;
    private long seed;
    private Path stateFile;
    private String stateKey = "";
    private int stopAt;
    private ProgressListener listener = ProgressListener.NONE;
    private String run = "";

    private Builder() {}

    /** Reports the loss, learning rate and speed as {@code run} every 20 iterations. */
    public Builder optProgress(ProgressListener listener, String run) {
      this.listener = listener;
      this.run = run;
      return this;
    }

    public Builder setPreset(SegmentationPreset preset) {
      this.preset = preset;
      return this;
    }

    public Builder setData(List<SegmentationSample> train, List<SegmentationSample> val, List<String> classes) {
      this.train = new ArrayList<>(train);
      this.val = new ArrayList<>(val);
      this.classes = List.copyOf(classes);
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Where to keep the state, and the key it must carry to be resumed (checkpoint, preset, data). */
    public Builder optState(Path file, String key) {
      this.stateFile = file;
      this.stateKey = key;
      return this;
    }

    /** Stops after this many iterations in total, saving the state (an interruption, for tests). */
    public Builder optStopAt(int iteration) {
      this.stopAt = iteration;
      return this;
    }

    public SegmentationFineTune build() {
      if (preset == null || train == null || train.isEmpty() || val == null || classes == null) {
        throw new IllegalArgumentException("a fine-tune needs a preset, training and validation images and classes");
      }
      return new SegmentationFineTune(this);
    }
  }
}
