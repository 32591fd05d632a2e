package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/** Two 3x3 convolutions (ResNet-18/34); the first carries the stride. */
final class BasicBlock extends ResidualBlock {

  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;

  BasicBlock(int channels, int stride, boolean project) {
    this(channels, stride, 1, project);
  }

  /** With the first 3x3 convolution dilated, as mmcv's dilated BasicBlock (the second is not). */
  BasicBlock(int channels, int stride, int dilation, boolean project) {
    conv1 = addChildBlock("conv1", Layers.conv(channels, 3, stride, dilation, dilation));
    bn1 = addChildBlock("bn1", new BatchNorm2d());
    conv2 = addChildBlock("conv2", Layers.conv(channels, 3, 1, 1));
    bn2 = addChildBlock("bn2", new BatchNorm2d());
    if (project) {
      addProjection(channels, stride);
    }
  }

  @Override
  NDArray branch(ParameterStore store, NDArray x, boolean training) {
    NDArray out = normAndClose(bn1, store, Layers.apply(conv1, store, x, training), training);
    out = Layers.reluAndClose(out);
    out = Layers.applyAndClose(conv2, store, out, training);
    return normAndClose(bn2, store, out, training);
  }

  @Override
  Shape branchOutputShape(Shape input) {
    return Layers.outputShape(conv2, Layers.outputShape(conv1, input));
  }

  @Override
  void initializeBranch(NDManager manager, DataType dataType, Shape input) {
    Shape s = Layers.initialize(conv1, manager, dataType, input);
    bn1.initialize(manager, dataType, s);
    s = Layers.initialize(conv2, manager, dataType, s);
    bn2.initialize(manager, dataType, s);
  }
}
