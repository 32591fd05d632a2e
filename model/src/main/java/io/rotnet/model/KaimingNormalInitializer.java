package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He/Kaiming normal initialisation for ReLU networks in fan-out mode, as torchvision initialises
 * ResNet convolutions: N(0, 2 / fan_out) with fan_out = out_channels * kernel area.
 */
public final class KaimingNormalInitializer implements Initializer {

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    if (shape.dimension() < 2) {
      throw new IllegalArgumentException("fan-out needs a weight of rank >= 2, got " + shape);
    }
    long fanOut = shape.get(0) * (shape.dimension() > 2 ? shape.slice(2).size() : 1);
    float std = (float) Math.sqrt(2.0 / fanOut);
    return manager.randomNormal(0f, std, shape, dataType);
  }
}
