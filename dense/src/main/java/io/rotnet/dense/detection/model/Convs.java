package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import io.rotnet.model.KaimingNormalInitializer;
import io.rotnet.model.ResNet;

/** Layer builders with mmdet's initialisations, and single-array application. */
final class Convs {

  private Convs() {}

  /** Square convolution with a bias, weights N(0, std), bias 0 (RPN, mask logits). */
  static Conv2d normal(int filters, int kernel, float std) {
    Conv2d conv =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optPadding(new Shape(kernel / 2, kernel / 2))
            .optBias(true)
            .build();
    conv.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
    return conv;
  }

  /**
   * A bias-free convolution for a conv + BN pair (mmcv ConvModule with a norm), Kaiming-normal
   * fan-out as ConvModule initialises itself.
   */
  static Conv2d beforeNorm(int filters, int kernel) {
    Conv2d conv =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optPadding(new Shape(kernel / 2, kernel / 2))
            .optBias(false)
            .build();
    conv.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
    return conv;
  }

  /** Fully connected layer with weights N(0, std) and bias 0 (fc_cls 0.01, fc_reg 0.001). */
  static Linear normalLinear(int units, float std) {
    Linear fc = Linear.builder().setUnits(units).build();
    fc.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
    return fc;
  }

  /** Fully connected layer with Xavier-uniform weights (ConvFCBBoxHead's shared fcs). */
  static Linear xavierLinear(int units) {
    Linear fc = Linear.builder().setUnits(units).build();
    fc.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
        Parameter.Type.WEIGHT);
    return fc;
  }

  /** The config's ResNet (stem and four stages; detectors use what they need). */
  static ResNet backbone(DetectorConfig config) {
    return ResNet.builder()
        .setDepth(config.backbone().depth())
        .optWidthDivisor(config.backbone().widthDivisor())
        .build();
  }

  static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  static NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  /** Initialises {@code block} for {@code input} and returns its output shape. */
  static Shape init(Block block, NDManager manager, DataType type, Shape input) {
    block.initialize(manager, type, input);
    return block.getOutputShapes(new Shape[] {input})[0];
  }
}
