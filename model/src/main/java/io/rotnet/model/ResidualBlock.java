package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A residual unit in the torchvision layout: the residual branch, plus the input itself or its
 * 1x1 strided projection (conv + BN) when the shape changes, followed by a ReLU.
 */
abstract class ResidualBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private Conv2d projection;
  private BatchNorm2d projectionNorm;

  ResidualBlock() {
    super(VERSION);
  }

  /**
   * Adds the 1x1 strided projection shortcut; subclasses call it after registering the branch's
   * children so that the parameter order is branch first, shortcut last.
   */
  final void addProjection(int outChannels, int stride) {
    projection = addChildBlock("downsample_conv", Layers.conv(outChannels, 1, stride, 0));
    projectionNorm = addChildBlock("downsample_bn", new BatchNorm2d());
  }

  /** The residual branch up to and including its last BN; must not close {@code x}. */
  abstract NDArray branch(ParameterStore store, NDArray x, boolean training);

  /** Output shape of the residual branch. */
  abstract Shape branchOutputShape(Shape input);

  abstract void initializeBranch(NDManager manager, DataType dataType, Shape input);

  /** Computes the unit's output; {@code x} stays open (the caller owns it). */
  NDArray apply(ParameterStore store, NDArray x, boolean training) {
    NDArray out = branch(store, x, training);
    if (projection == null) {
      out.addi(x);
    } else {
      NDArray projected = Layers.apply(projection, store, x, training);
      NDArray shortcut = projectionNorm.apply(store, projected, training);
      projected.close();
      out.addi(shortcut);
      shortcut.close();
    }
    return Layers.reluAndClose(out);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    initializeBranch(manager, dataType, inputShapes[0]);
    if (projection != null) {
      Shape projected = Layers.initialize(projection, manager, dataType, inputShapes[0]);
      projectionNorm.initialize(manager, dataType, projected);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {branchOutputShape(inputShapes[0])};
  }

  /** Normalises then frees the convolution output. */
  static NDArray normAndClose(BatchNorm2d norm, ParameterStore store, NDArray x, boolean training) {
    NDArray y = norm.apply(store, x, training);
    x.close();
    return y;
  }
}
