package io.rotnet.dense.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A 2x2, stride-2 transposed convolution (the mask head's upsampler) without the engine's
 * deconvolution, which DJL's PyTorch engine does not implement: a bias-free 1x1 convolution to
 * {@code 4 x C_out} channels ordered (o, dy, dx), the pixel shuffle
 * {@code [N, O, 2, 2, H, W] -> [N, O, H, 2, W, 2] -> [N, O, 2H, 2W]}, and one bias per output
 * channel. Output pixel (2y + dy, 2x + dx) of channel o is {@code b[o] + sum_c x[c, y, x] W[c, o,
 * dy, dx]}, exactly ConvTranspose2d(k=2, s=2). Weights start Kaiming-normal with torch's fan-out
 * of a transposed weight [C_in, C_out, 2, 2] (C_in x 4), biases at 0, as mmdet's FCNMaskHead.
 */
public final class PixelShuffleUpsample extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int outChannels;
  private final Conv2d conv;
  private final Parameter bias;

  public PixelShuffleUpsample(int outChannels) {
    super(VERSION);
    this.outChannels = outChannels;
    conv =
        addChildBlock(
            "conv",
            Conv2d.builder()
                .setFilters(4 * outChannels)
                .setKernelShape(new Shape(1, 1))
                .optBias(false)
                .build());
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    long n = s.get(0);
    long h = s.get(2);
    long w = s.get(3);
    NDArray y = conv.forward(store, inputs, training).singletonOrThrow();
    NDArray shuffled =
        y.reshape(n, outChannels, 2, 2, h, w)
            .transpose(0, 1, 4, 2, 5, 3)
            .reshape(n, outChannels, 2 * h, 2 * w);
    NDArray b = store.getValue(bias, x.getDevice(), training).reshape(1, outChannels, 1, 1);
    b.attach(x.getManager()); // the reshape belongs to the parameter's manager otherwise
    return new NDList(shuffled.add(b));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long inChannels = inputShapes[0].get(1);
    float std = (float) Math.sqrt(2.0 / (inChannels * 4));
    conv.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
    conv.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), outChannels, 2 * s.get(2), 2 * s.get(3))};
  }

  /** The 1x1 convolution's weight [4 C_out, C_in, 1, 1] in (o, dy, dx) order (for tests). */
  Parameter weight() {
    return conv.getParameters().get("weight");
  }

  Parameter bias() {
    return bias;
  }
}
