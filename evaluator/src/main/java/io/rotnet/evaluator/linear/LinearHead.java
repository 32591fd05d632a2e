package io.rotnet.evaluator.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * One linear head on the engine: optionally {@code BatchNorm2d(C, affine=False)} over N x h x w
 * per channel, then Linear(C * h * w -&gt; classes) trained by SGD, all as NDArrays on the
 * backbone's device.
 *
 * <p>BatchNorm follows PyTorch: in training the batch is standardized with each channel's mean
 * and biased variance over N x h x w (eps 1e-5), and the running estimates move by momentum 0.1
 * towards the mean and the unbiased variance; at test time the running estimates are used. SGD
 * follows {@code torch.optim.SGD}: weight decay added to the gradient, a momentum buffer without
 * dampening (zero before the first step, so the first buffer is the gradient), Nesterov look-ahead
 * when asked. The loss is the mean softmax cross-entropy of the batch, its gradient written out.
 *
 * <p>The head's arrays live in a manager of their own; during a step they are attached to the
 * step's manager, so every temporary is freed with it and only the in-place updates remain.
 */
final class LinearHead implements AutoCloseable {
  static final float EPS = 1e-5f;
  static final float RUNNING_MOMENTUM = 0.1f;
  static final double INIT_STD = 0.01;

  final String name;
  final int channels;
  final int spatial;
  final int classes;
  final boolean norm;
  private final NDManager manager;
  final NDArray weight;
  final NDArray bias;
  final NDArray weightVelocity;
  final NDArray biasVelocity;
  final NDArray runningMean;
  final NDArray runningVar;

  /**
   * A head with Normal(0, 0.01) weights drawn from {@code random}, zero bias and zero buffers.
   *
   * @param channels channels of the tap (the BN's C)
   * @param spatial cells of the pooled grid (h x w; 1 for the global average)
   */
  LinearHead(NDManager parent, String name, int channels, int spatial, int classes, boolean norm, Random random) {
    this.name = name;
    this.channels = channels;
    this.spatial = spatial;
    this.classes = classes;
    this.norm = norm;
    this.manager = parent.newSubManager();
    int dims = channels * spatial;
    float[] w = new float[classes * dims];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * INIT_STD);
    }
    weight = manager.create(w, new Shape(classes, dims));
    bias = manager.zeros(new Shape(classes));
    weightVelocity = manager.zeros(new Shape(classes, dims));
    biasVelocity = manager.zeros(new Shape(classes));
    runningMean = manager.zeros(new Shape(channels));
    runningVar = manager.ones(new Shape(channels));
  }

  int dims() {
    return channels * spatial;
  }

  /** Attaches the head's arrays to a step's manager until that manager closes. */
  void attachTo(NDManager step) {
    for (NDArray array : arrays()) {
      array.tempAttach(step);
    }
  }

  /**
   * Standardizes [N, C * S] features per channel with the batch statistics and updates the
   * running estimates; returns [N, C * S].
   */
  NDArray normalizeTraining(NDArray features) {
    long n = features.getShape().get(0);
    NDArray x = features.reshape(n, channels, spatial);
    long count = n * spatial;
    NDArray mean = x.sum(new int[] {0, 2}).div((float) count);
    NDArray centered = x.sub(mean.reshape(1, channels, 1));
    NDArray biasedVar = centered.square().sum(new int[] {0, 2}).div((float) count);
    NDArray unbiased = biasedVar.mul((float) count / Math.max(1, count - 1));
    runningMean.muli(1 - RUNNING_MOMENTUM).addi(mean.mul(RUNNING_MOMENTUM));
    runningVar.muli(1 - RUNNING_MOMENTUM).addi(unbiased.mul(RUNNING_MOMENTUM));
    NDArray scale = biasedVar.add(EPS).sqrt().reshape(1, channels, 1);
    return centered.div(scale).reshape(n, channels * spatial);
  }

  /** Standardizes with the running estimates (inference). */
  NDArray normalizeInference(NDArray features) {
    long n = features.getShape().get(0);
    NDArray x = features.reshape(n, channels, spatial);
    NDArray scale = runningVar.add(EPS).sqrt().reshape(1, channels, 1);
    return x.sub(runningMean.reshape(1, channels, 1)).div(scale).reshape(n, channels * spatial);
  }

  NDArray logits(NDArray inputs) {
    return inputs.matMul(weight.transpose()).add(bias);
  }

  /**
   * One SGD step on a batch of head inputs [N, D] with one-hot targets [N, classes]; returns the
   * sum of the batch's cross-entropies.
   */
  double step(NDArray inputs, NDArray oneHot, double lr, double momentum, boolean nesterov, double weightDecay) {
    long n = inputs.getShape().get(0);
    NDArray logProbs = logits(inputs).logSoftmax(1);
    double lossSum = -logProbs.mul(oneHot).sum().getFloat();
    NDArray gradLogits = logProbs.exp().sub(oneHot).div((float) n);
    NDArray gradWeight = gradLogits.transpose().matMul(inputs);
    NDArray gradBias = gradLogits.sum(new int[] {0});
    update(weight, gradWeight, weightVelocity, lr, momentum, nesterov, weightDecay);
    update(bias, gradBias, biasVelocity, lr, momentum, nesterov, weightDecay);
    return lossSum;
  }

  /** In place on the step's own gradient, so a 1000-class head allocates as little as it can. */
  private static void update(
      NDArray param, NDArray grad, NDArray velocity, double lr, double momentum, boolean nesterov,
      double weightDecay) {
    if (weightDecay != 0) {
      grad.addi(param.mul((float) weightDecay));
    }
    velocity.muli((float) momentum).addi(grad);
    NDArray direction = nesterov ? grad.addi(velocity.mul((float) momentum)) : velocity.mul(1f);
    param.subi(direction.muli((float) lr));
  }

  /** Weight, bias, their momentum buffers, running mean and variance, in that order. */
  NDArray[] arrays() {
    return new NDArray[] {weight, bias, weightVelocity, biasVelocity, runningMean, runningVar};
  }

  /** Overwrites the head's arrays with saved values (same order as {@link #arrays()}). */
  void restore(float[][] values) {
    NDArray[] arrays = arrays();
    for (int i = 0; i < arrays.length; i++) {
      if (values[i].length != arrays[i].size()) {
        throw new IllegalStateException(name + ": saved array " + i + " has " + values[i].length
            + " values, expected " + arrays[i].size());
      }
      arrays[i].set(values[i]);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
