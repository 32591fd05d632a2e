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

/**
 * mmdet's {@code FPN} with a norm: 1x1 laterals and 3x3 outputs, each conv (no bias) + BN with no
 * activation, nearest x2 top-down sums, and P6 as a 1x1 stride-2 max-pool of P5's output
 * ({@code add_extra_convs=False}, 5 outputs).
 */
final class Fpn extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Conv2d[] lateral = new Conv2d[4];
  private final BatchNorm2d[] lateralNorm = new BatchNorm2d[4];
  private final Conv2d[] output = new Conv2d[4];
  private final BatchNorm2d[] outputNorm = new BatchNorm2d[4];
  private final int channels;

  Fpn(int channels) {
    super(VERSION);
    this.channels = channels;
    for (int i = 0; i < 4; i++) {
      lateral[i] = addChildBlock("lateral_conv" + i, Convs.beforeNorm(channels, 1));
      lateralNorm[i] = addChildBlock("lateral_bn" + i, new BatchNorm2d());
    }
    for (int i = 0; i < 4; i++) {
      output[i] = addChildBlock("fpn_conv" + i, Convs.beforeNorm(channels, 3));
      outputNorm[i] = addChildBlock("fpn_bn" + i, new BatchNorm2d());
    }
  }

  /** C2..C5 to P2..P6. */
  NDList apply(ParameterStore store, NDList stages, boolean training) {
    NDArray[] lat = new NDArray[4];
    for (int i = 0; i < 4; i++) {
      NDArray conv = Convs.apply(lateral[i], store, stages.get(i), training);
      lat[i] = Convs.apply(lateralNorm[i], store, conv, training);
    }
    for (int i = 3; i > 0; i--) {
      NDArray up = lat[i].repeat(2, 2).repeat(3, 2);
      lat[i - 1] = lat[i - 1].add(up);
    }
    NDList out = new NDList(5);
    for (int i = 0; i < 4; i++) {
      NDArray conv = Convs.apply(output[i], store, lat[i], training);
      out.add(Convs.apply(outputNorm[i], store, conv, training));
    }
    out.add(
        out.get(3).getNDArrayInternal().maxPool(new Shape(1, 1), new Shape(2, 2), new Shape(0, 0), false));
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return apply(store, inputs, training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (int i = 0; i < 4; i++) {
      Shape s = Convs.init(lateral[i], manager, dataType, inputShapes[i]);
      lateralNorm[i].initialize(manager, dataType, s);
      Shape o = Convs.init(output[i], manager, dataType, s);
      outputNorm[i].initialize(manager, dataType, o);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] out = new Shape[5];
    for (int i = 0; i < 4; i++) {
      Shape s = inputShapes[i];
      out[i] = new Shape(s.get(0), channels, s.get(2), s.get(3));
    }
    Shape p5 = out[3];
    out[4] = new Shape(p5.get(0), channels, (p5.get(2) - 1) / 2 + 1, (p5.get(3) - 1) / 2 + 1);
    return out;
  }
}
