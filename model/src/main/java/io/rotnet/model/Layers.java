package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/** Small shared pieces of the ResNet blocks. */
final class Layers {

  private Layers() {}

  /** A bias-free square convolution with torchvision's Kaiming fan-out initialisation. */
  static Conv2d conv(int filters, int kernel, int stride, int padding) {
    Conv2d conv =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(padding, padding))
            .optBias(false)
            .build();
    conv.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
    return conv;
  }

  /** A bias-free dilated square convolution ("same" padding for odd kernels: {@code dilation * (kernel - 1) / 2}). */
  static Conv2d conv(int filters, int kernel, int stride, int padding, int dilation) {
    if (dilation == 1) {
      return conv(filters, kernel, stride, padding);
    }
    Conv2d conv =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(padding, padding))
            .optDilation(new Shape(dilation, dilation))
            .optBias(false)
            .build();
    conv.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
    return conv;
  }

  /** Runs a single-input, single-output block. */
  static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  /**
   * ReLU that frees its input: the autograd graph keeps its own reference to whatever backward
   * needs, so dropping our handle early only lowers the peak of live activations.
   */
  static NDArray reluAndClose(NDArray x) {
    NDArray y = x.getNDArrayInternal().relu();
    x.close();
    return y;
  }

  /** Runs {@code block} on {@code x}, then frees {@code x}. */
  static NDArray applyAndClose(Block block, ParameterStore store, NDArray x, boolean training) {
    NDArray y = apply(block, store, x, training);
    x.close();
    return y;
  }

  /** Initialises {@code block} for {@code input} and returns its output shape. */
  static Shape initialize(Block block, NDManager manager, DataType dataType, Shape input) {
    block.initialize(manager, dataType, input);
    return block.getOutputShapes(new Shape[] {input})[0];
  }

  static Shape outputShape(Block block, Shape input) {
    return block.getOutputShapes(new Shape[] {input})[0];
  }
}
