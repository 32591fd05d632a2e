package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.rotnet.dense.detection.ops.HostArrays;

/** The detectors' losses, written out where mmdet's reductions differ from DJL's losses. */
final class Losses {

  private Losses() {}

  /** Elementwise sigmoid BCE with logits, in the stable form relu(x) - x y + log(1 + e^-|x|). */
  static NDArray sigmoidBce(NDArray logits, NDArray targets) {
    return Activation.relu(logits)
        .sub(logits.mul(targets))
        .add(Activation.softPlus(logits.abs().neg()));
  }

  /**
   * {@code x * factor} with the factor as a tensor that lives as long as the graph: DJL's {@code
   * mul(Number)} / {@code div(Number)} wrap the scalar without copying and free it at once, while
   * autograd keeps it for the backward pass, which then reads freed memory.
   */
  static NDArray scaled(NDArray x, float factor) {
    return x.mul(HostArrays.scalar(x.getManager(), factor));
  }

  /** A zero loss still connected to {@code x}'s graph (so every parameter gets a gradient). */
  static NDArray zero(NDArray x) {
    return scaled(x.sum(), 0f);
  }

  /** Softmax cross-entropy of each row against its integer label, summed. */
  static NDArray softmaxCrossEntropySum(NDArray logits, NDArray labels) {
    NDArray logProb = logits.logSoftmax(1);
    return logProb.gather(labels.reshape(-1, 1), 1).sum().neg();
  }
}
