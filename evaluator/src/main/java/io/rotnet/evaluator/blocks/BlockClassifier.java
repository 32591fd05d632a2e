package io.rotnet.evaluator.blocks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rotnet.evaluator.benchmark.Shuffle;
import io.rotnet.evaluator.blocks.BlockProtocol.Head;
import io.rotnet.model.GradMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One of the reference's classifiers on one block's frozen features (see {@link Head}), trained on
 * the engine with autograd: softmax cross-entropy, SGD as PyTorch's {@code SGD(momentum,
 * nesterov=True, weight_decay)} ({@code g += wd * w; buf = m * buf + g; w -= lr * (g + m * buf)}),
 * batch norm as PyTorch's (batch statistics in training, running ones with momentum 0.1 at test,
 * eps 1e-5). Linear weights start from N(0, sqrt(2 / out_features)) and biases from 0, BN weights
 * from 1, as the reference's {@code initilize}.
 */
public final class BlockClassifier implements AutoCloseable {

  /** Hidden width of the non-linear classifier: min(classes * 20, 2048). */
  static int hiddenUnits(int classes) {
    return Math.min(classes * 20, 2048);
  }

  private static final float BN_MOMENTUM = 0.9f; // DJL's weight of the old value: PyTorch's 0.1
  private static final float BN_EPSILON = 1e-5f;

  private final Head head;
  private final BlockFeatures.BlockShape shape;
  private final int classes;
  private final NDManager manager;
  private final List<NDArray> trainable = new ArrayList<>();
  private final List<NDArray> buffers = new ArrayList<>();
  // LINEAR: BN2d without affine (fixed ones / zeros), then weight [D, K] and bias
  // NONLINEAR: w1 [D, H], bn1, w2 [H, H], bn2, w3 [H, K], bias
  private final List<NDArray[]> norms = new ArrayList<>(); // {gamma, beta, runningMean, runningVar}
  private final List<NDArray> weights = new ArrayList<>();
  private NDArray bias;

  private BlockClassifier(Head head, BlockFeatures.BlockShape shape, int classes, NDManager parent, long seed) {
    this.head = head;
    this.shape = shape;
    this.classes = classes;
    this.manager = parent.newSubManager();
    Random random = new Random(seed);
    int dims = shape.dims();
    if (head == Head.LINEAR) {
      norms.add(norm(shape.channels(), false));
      weights.add(weight(random, dims, classes));
    } else {
      int hidden = hiddenUnits(classes);
      weights.add(weight(random, dims, hidden));
      norms.add(norm(hidden, true));
      weights.add(weight(random, hidden, hidden));
      norms.add(norm(hidden, true));
      weights.add(weight(random, hidden, classes));
    }
    bias = manager.zeros(new Shape(classes));
    bias.setRequiresGradient(true);
    trainable.add(bias);
    for (NDArray p : trainable) {
      buffers.add(manager.zeros(p.getShape()));
    }
  }

  private NDArray weight(Random random, int in, int out) {
    float std = (float) Math.sqrt(2.0 / out);
    float[] values = new float[in * out];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    NDArray w = manager.create(values, new Shape(in, out));
    w.setRequiresGradient(true);
    trainable.add(w);
    return w;
  }

  private NDArray[] norm(int channels, boolean affine) {
    NDArray gamma = manager.ones(new Shape(channels));
    NDArray beta = manager.zeros(new Shape(channels));
    if (affine) {
      gamma.setRequiresGradient(true);
      beta.setRequiresGradient(true);
      trainable.add(gamma);
      trainable.add(beta);
    }
    return new NDArray[] {gamma, beta, manager.zeros(new Shape(channels)), manager.ones(new Shape(channels))};
  }

  /**
   * Trains a classifier of {@code head} on block {@code block} of {@code train}.
   *
   * @param progress receives one line per epoch
   */
  public static BlockClassifier train(Head head, BlockProtocol protocol, BlockFeatures.Split train, int block,
      int classes, NDManager parent, Consumer<String> progress) {
    GradMode.disableOnThisThread();
    BlockFeatures.BlockShape shape = train.blocks().get(block);
    BlockClassifier classifier = new BlockClassifier(head, shape, classes, parent, protocol.seed() * 31 + block);
    Random shuffle = new Random(protocol.seed());
    int n = train.size();
    for (int epoch = 0; epoch < protocol.epochs(); epoch++) {
      int[] order = Shuffle.permutation(n, shuffle);
      double rate = protocol.rateAt(epoch);
      double lossSum = 0;
      long correct = 0;
      int seen = 0;
      for (int start = 0; start + 2 <= n; start += protocol.batchSize()) {
        int count = Math.min(protocol.batchSize(), n - start);
        if (count < 2) {
          break; // batch norm needs two samples
        }
        float[] rows = train.rows(block, order, start, count);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
          labels[i] = train.labels()[order[start + i]];
        }
        float[] step = classifier.step(rows, labels, protocol, rate);
        lossSum += step[0] * count;
        correct += (long) step[1];
        seen += count;
      }
      progress.accept(String.format(Locale.ROOT, "%s %s epoch %d/%d lr %.4g: loss %.4f, train top-1 %.2f%%",
          head.label(), shape.name(), epoch + 1, protocol.epochs(), rate, lossSum / seen, 100.0 * correct / seen));
    }
    return classifier;
  }

  /** One SGD step; returns {loss, correct}. */
  private float[] step(float[] rows, int[] labels, BlockProtocol protocol, double rate) {
    int count = labels.length;
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(rows, new Shape(count, shape.dims()));
      float[] hot = new float[count * classes];
      for (int i = 0; i < count; i++) {
        hot[i * classes + labels[i]] = 1f;
      }
      NDArray targets = scope.create(hot, new Shape(count, classes));
      float loss;
      float correct;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = logits(x, true);
        NDArray value = logits.logSoftmax(1).mul(targets).sum().neg().div(count);
        collector.backward(value);
        loss = value.getFloat();
        correct = logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
            .eq(targets.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)).sum().getLong();
      }
      update(protocol, (float) rate);
      return new float[] {loss, correct};
    }
  }

  private void update(BlockProtocol protocol, float rate) {
    float momentum = (float) protocol.momentum();
    float decay = (float) protocol.weightDecay();
    for (int i = 0; i < trainable.size(); i++) {
      NDArray w = trainable.get(i);
      NDArray buffer = buffers.get(i);
      try (NDArray grad = w.getGradient(); NDArray decayed = w.mul(decay); NDArray g = grad.add(decayed)) {
        buffer.muli(momentum).addi(g);
        try (NDArray delta = buffer.mul(momentum)) {
          delta.addi(g).muli(rate);
          w.subi(delta);
        }
        grad.subi(grad); // gradients accumulate across backward passes
      }
    }
  }

  private NDArray logits(NDArray x, boolean training) {
    int count = (int) x.getShape().get(0);
    NDArray h;
    if (head == Head.LINEAR) {
      NDArray map = x.reshape(count, shape.channels(), shape.height(), shape.width());
      h = batchNorm(map, norms.get(0), training).reshape(count, shape.dims()).matMul(weights.get(0));
    } else {
      h = x.matMul(weights.get(0));
      h = batchNorm(h, norms.get(0), training).getNDArrayInternal().relu();
      h = h.matMul(weights.get(1));
      h = batchNorm(h, norms.get(1), training).getNDArrayInternal().relu();
      h = h.matMul(weights.get(2));
    }
    return h.add(bias);
  }

  private static NDArray batchNorm(NDArray x, NDArray[] norm, boolean training) {
    int axis = "PyTorch".equals(x.getManager().getEngine().getEngineName()) ? -1 : 1;
    return x.getNDArrayInternal()
        .batchNorm(x, norm[2], norm[3], norm[0], norm[1], axis, BN_MOMENTUM, BN_EPSILON, training)
        .singletonOrThrow();
  }

  /** Top-1 accuracy (percent) on block {@code block} of {@code split}, BN with running statistics. */
  public double accuracy(BlockFeatures.Split split, int block) {
    GradMode.disableOnThisThread();
    int n = split.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long correct = 0;
    int batch = 500;
    for (int start = 0; start < n; start += batch) {
      int count = Math.min(batch, n - start);
      try (NDManager scope = manager.newSubManager()) {
        NDArray x = scope.create(split.rows(block, order, start, count), new Shape(count, shape.dims()));
        int[] predicted = logits(x, false).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        for (int i = 0; i < count; i++) {
          if (predicted[i] == split.labels()[start + i]) {
            correct++;
          }
        }
      }
    }
    return 100.0 * correct / n;
  }

  /** Trainable values, as PyTorch counts {@code parameters()}. */
  public long parameterCount() {
    return trainable.stream().mapToLong(a -> a.getShape().size()).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
