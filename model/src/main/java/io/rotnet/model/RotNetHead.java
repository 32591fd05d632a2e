package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The RotNet classifier: global average pool, then Linear(C -> rotations) with weights drawn from
 * N(0, 0.01) and zero bias. Accepts either a feature map [N, C, H, W] or an already pooled
 * feature [N, C].
 */
public final class RotNetHead extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final float WEIGHT_STD = 0.01f;

  private final Linear fc;

  public RotNetHead(int numRotations) {
    super(VERSION);
    if (numRotations < 2) {
      throw new IllegalArgumentException("numRotations must be at least 2, got " + numRotations);
    }
    fc = addChildBlock("fc", Linear.builder().setUnits(numRotations).build());
    fc.setInitializer(new NormalInitializer(WEIGHT_STD), Parameter.Type.WEIGHT);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(logits(store, inputs.singletonOrThrow(), training));
  }

  /** Logits [N, rotations]; the input stays open. */
  public NDArray logits(ParameterStore store, NDArray features, boolean training) {
    if (features.getShape().dimension() == 2) {
      return Layers.apply(fc, store, features, training);
    }
    NDArray pooled = ResNet.globalAveragePool(features);
    NDArray logits = Layers.apply(fc, store, pooled, training);
    pooled.close();
    return logits;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    fc.initialize(manager, dataType, pooledShape(inputShapes[0]));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return fc.getOutputShapes(new Shape[] {pooledShape(inputShapes[0])});
  }

  private static Shape pooledShape(Shape input) {
    return input.dimension() == 2 ? input : new Shape(input.get(0), input.get(1));
  }
}
