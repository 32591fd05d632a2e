package io.rotnet.dense.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import io.rotnet.dense.nn.Dropout2d;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;

/**
 * FCN with a dilated ResNet, as mmseg's {@code fcn_r50-d8.py}: the backbone with strides
 * (1, 2, 1, 1) and dilations (1, 1, 2, 4) (output stride 8); the decode head on stage 4
 * ({@code num_convs=2} 3x3 ConvModules, {@code concat_input}: a 3x3 ConvModule on
 * {@code cat(x, out)}, Dropout2d, 1x1 {@code conv_seg} initialised N(0, 0.01)); the auxiliary
 * head on stage 3 (one 3x3 ConvModule, no concat, Dropout2d, 1x1). BN everywhere trains.
 *
 * <p>{@link #forward} returns {@code [logits, auxLogits]} at 1/8 of the input.
 */
public final class FcnModel extends AbstractBlock {
  private static final byte VERSION = 1;
  static final int[] STRIDES = {1, 2, 1, 1};
  static final int[] DILATIONS = {1, 1, 2, 4};

  private final ResNet backbone;
  private final ConvModule conv1;
  private final ConvModule conv2;
  private final ConvModule concat;
  private final Conv2d classifier;
  private final ConvModule auxConv;
  private final Conv2d auxClassifier;
  private final float dropout;

  public FcnModel(ModelSpec backboneSpec, int classes, int channels, int auxChannels, float dropout) {
    super(VERSION);
    this.dropout = dropout;
    backbone = addChildBlock("backbone", ResNet.dilated(backboneSpec, STRIDES, DILATIONS));
    conv1 = addChildBlock("decode_conv0", new ConvModule(channels, 3));
    conv2 = addChildBlock("decode_conv1", new ConvModule(channels, 3));
    concat = addChildBlock("decode_cat", new ConvModule(channels, 3));
    classifier = addChildBlock("decode_seg", segConv(classes));
    auxConv = addChildBlock("aux_conv0", new ConvModule(auxChannels, 3));
    auxClassifier = addChildBlock("aux_seg", segConv(classes));
  }

  private static Conv2d segConv(int classes) {
    Conv2d conv = Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).build();
    conv.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    return conv;
  }

  public ResNet backbone() {
    return backbone;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList taps = backbone.forward(store, inputs, training);
    NDArray stage3 = taps.get(3);
    NDArray stage4 = taps.get(4);
    taps.get(0).close();
    taps.get(1).close();
    taps.get(2).close();
    taps.get(5).close();
    NDArray a = conv1.apply(store, stage4, training);
    NDArray b = conv2.apply(store, a, training);
    a.close();
    NDArray joined = NDArrays.concat(new NDList(stage4, b), 1);
    b.close();
    NDArray fused = concat.apply(store, joined, training);
    joined.close();
    NDArray logits = classify(classifier, store, fused, training);
    if (!training) {
      stage3.close();
      stage4.close();
      return new NDList(logits);
    }
    NDArray aux = auxConv.apply(store, stage3, training);
    NDArray auxLogits = classify(auxClassifier, store, aux, training);
    stage3.close();
    stage4.close();
    return new NDList(logits, auxLogits);
  }

  private NDArray classify(Conv2d seg, ParameterStore store, NDArray features, boolean training) {
    NDArray dropped = Dropout2d.apply(features, dropout, training);
    features.close();
    NDArray out = seg.forward(store, new NDList(dropped), training).singletonOrThrow();
    dropped.close();
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes[0]);
    Shape[] taps = backbone.getOutputShapes(inputShapes);
    Shape s4 = taps[4];
    conv1.initialize(manager, dataType, s4);
    Shape h = conv1.getOutputShapes(new Shape[] {s4})[0];
    conv2.initialize(manager, dataType, h);
    Shape cat = new Shape(s4.get(0), s4.get(1) + h.get(1), s4.get(2), s4.get(3));
    concat.initialize(manager, dataType, cat);
    classifier.initialize(manager, dataType, h);
    auxConv.initialize(manager, dataType, taps[3]);
    auxClassifier.initialize(manager, dataType, auxConv.getOutputShapes(new Shape[] {taps[3]})[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] taps = backbone.getOutputShapes(inputShapes);
    Shape h = conv1.getOutputShapes(new Shape[] {taps[4]})[0];
    Shape logits = classifier.getOutputShapes(new Shape[] {h})[0];
    Shape a = auxConv.getOutputShapes(new Shape[] {taps[3]})[0];
    return new Shape[] {logits, auxClassifier.getOutputShapes(new Shape[] {a})[0]};
  }
}
