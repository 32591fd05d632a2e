package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.rotnet.model.BatchNorm2d;

/** {@code n x (3x3 conv, no bias + BN + ReLU)} at one width: the RoI heads' conv towers. */
final class ConvStack extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Conv2d[] convs;
  private final BatchNorm2d[] norms;

  ConvStack(int count, int channels) {
    super(VERSION);
    convs = new Conv2d[count];
    norms = new BatchNorm2d[count];
    for (int i = 0; i < count; i++) {
      convs[i] = addChildBlock("conv" + i, Convs.beforeNorm(channels, 3));
      norms[i] = addChildBlock("bn" + i, new BatchNorm2d());
    }
  }

  NDArray apply(ParameterStore store, NDArray x, boolean training) {
    for (int i = 0; i < convs.length; i++) {
      NDArray conv = Convs.apply(convs[i], store, x, training);
      x = Convs.relu(Convs.apply(norms[i], store, conv, training));
    }
    return x;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    for (int i = 0; i < convs.length; i++) {
      s = Convs.init(convs[i], manager, dataType, s);
      norms[i].initialize(manager, dataType, s);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    for (Conv2d conv : convs) {
      s = conv.getOutputShapes(new Shape[] {s})[0];
    }
    return new Shape[] {s};
  }
}
