package io.rotnet.dense.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.rotnet.model.BatchNorm2d;
import io.rotnet.model.KaimingNormalInitializer;

/** mmcv's {@code ConvModule} with BN and ReLU: a bias-free convolution (Kaiming fan-out), BN, ReLU. */
final class ConvModule extends AbstractBlock {
  private static final byte VERSION = 1;

  private final Conv2d conv;
  private final BatchNorm2d norm;

  ConvModule(int channels, int kernel) {
    super(VERSION);
    conv = Conv2d.builder().setFilters(channels).setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(kernel / 2, kernel / 2)).optBias(false).build();
    conv.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
    addChildBlock("conv", conv);
    norm = addChildBlock("bn", new BatchNorm2d());
  }

  NDArray apply(ParameterStore store, NDArray x, boolean training) {
    NDArray c = conv.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray n = norm.forward(store, new NDList(c), training).singletonOrThrow();
    c.close();
    NDArray y = n.getNDArrayInternal().relu();
    n.close();
    return y;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes[0]);
    Shape s = conv.getOutputShapes(new Shape[] {inputShapes[0]})[0];
    norm.initialize(manager, dataType, s);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }
}
