package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * 1x1 reduce, 3x3, 1x1 expand (x4), as in torchvision's ResNet-50 ("v1.5"): the stride sits on
 * the 3x3 convolution, not on the first 1x1.
 */
final class BottleneckBlock extends ResidualBlock {

  static final int EXPANSION = 4;

  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final Conv2d conv3;
  private final BatchNorm2d bn3;

  BottleneckBlock(int planes, int stride, boolean project) {
    this(planes, stride, 1, project);
  }

  /** With the 3x3 convolution dilated (mmseg's dilated ResNet: padding = dilation). */
  BottleneckBlock(int planes, int stride, int dilation, boolean project) {
    conv1 = addChildBlock("conv1", Layers.conv(planes, 1, 1, 0));
    bn1 = addChildBlock("bn1", new BatchNorm2d());
    conv2 = addChildBlock("conv2", Layers.conv(planes, 3, stride, dilation, dilation));
    bn2 = addChildBlock("bn2", new BatchNorm2d());
    conv3 = addChildBlock("conv3", Layers.conv(planes * EXPANSION, 1, 1, 0));
    bn3 = addChildBlock("bn3", new BatchNorm2d());
    if (project) {
      addProjection(planes * EXPANSION, stride);
    }
  }

  @Override
  NDArray branch(ParameterStore store, NDArray x, boolean training) {
    NDArray out = normAndClose(bn1, store, Layers.apply(conv1, store, x, training), training);
    out = Layers.reluAndClose(out);
    out = normAndClose(bn2, store, Layers.applyAndClose(conv2, store, out, training), training);
    out = Layers.reluAndClose(out);
    return normAndClose(bn3, store, Layers.applyAndClose(conv3, store, out, training), training);
  }

  @Override
  Shape branchOutputShape(Shape input) {
    Shape s = Layers.outputShape(conv1, input);
    s = Layers.outputShape(conv2, s);
    return Layers.outputShape(conv3, s);
  }

  @Override
  void initializeBranch(NDManager manager, DataType dataType, Shape input) {
    Shape s = Layers.initialize(conv1, manager, dataType, input);
    bn1.initialize(manager, dataType, s);
    s = Layers.initialize(conv2, manager, dataType, s);
    bn2.initialize(manager, dataType, s);
    s = Layers.initialize(conv3, manager, dataType, s);
    bn3.initialize(manager, dataType, s);
  }
}
