package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.rotnet.dense.detection.ops.RoiAlign;
import io.rotnet.model.BatchNorm2d;
import io.rotnet.model.ResNet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Faster R-CNN R50-C4 as mmdet 2.x {@code faster_rcnn_r50_caffe_c4} under MMSelfSup's benchmark:
 * ResNet stages 1-3 (stride 16) as the trunk, the RPN on C4, RoIAlign 14 x 14 at 1/16, then res5
 * (the same ResNet's stage 4, so a checkpoint initialises it too) and MMSelfSup's extra BN
 * ({@code ResLayerExtraNorm}), average pooling to one vector per RoI, and the class (K + 1) and
 * class-specific box (4K) fcs. Nothing is frozen and BN trains.
 */
public final class FasterRcnnC4 extends AbstractBlock implements Detector {

  private static final byte VERSION = 1;
  private static final int C4_STRIDE = 16;

  private final DetectorConfig config;
  private final ResNet backbone;
  private final RpnHead rpn;
  private final BatchNorm2d extraNorm;
  private final Linear cls;
  private final Linear reg;
  private final RoiAlign roiAlign;
  private final RoiHeadLogic roiHead;

  FasterRcnnC4(DetectorConfig config) {
    super(VERSION);
    this.config = config;
    backbone =
addChildBlock("backbone", Convs.backbone(config));
    rpn = addChildBlock("rpn_head", new RpnHead(config.rpn(), config.anchors(), config.data().padDivisor()));
    extraNorm = addChildBlock("shared_head_norm", new BatchNorm2d());
    cls = addChildBlock("fc_cls", Convs.normalLinear(config.numClasses() + 1, 0.01f));
    reg = addChildBlock("fc_reg", Convs.normalLinear(4 * config.numClasses(), 0.001f));
    int size = config.rcnn().roiSize();
    roiAlign = new RoiAlign(size, size, 1f / C4_STRIDE, config.rcnn().samplingRatio());
    roiHead = new RoiHeadLogic(config);
  }

  @Override
  public DetectorConfig config() {
    return config;
  }

  @Override
  public Block block() {
    return this;
  }

  @Override
  public ResNet backbone() {
    return backbone;
  }

  @Override
  public Map<String, NDArray> losses(
      ParameterStore store, NDArray images, DetectionBatch batch, Random random) {
    NDArray c4 = trunk(store, images, true);
    RpnHead.Outputs rpnOut = rpn.run(store, List.of(c4), true);
    Map<String, NDArray> losses = new LinkedHashMap<>();
    rpn.losses(rpnOut, batch, random, losses);
    List<float[]> proposals = rpn.proposals(rpnOut, batch, config.rpn().train());
    RoiHeadLogic.Sampled s = roiHead.sample(proposals, batch, random);
    NDList heads = boxHead(store, c4, s.rois(), s.imageIndex(), true);
    roiHead.losses(heads.get(0), heads.get(1), s, losses);
    return losses;
  }

  @Override
  public List<Detections> detect(ParameterStore store, NDArray images, DetectionBatch batch) {
    NDArray c4 = trunk(store, images, false);
    RpnHead.Outputs rpnOut = rpn.run(store, List.of(c4), false);
    List<float[]> proposals = rpn.proposals(rpnOut, batch, config.rpn().test());
    NDList heads =
        boxHead(store, c4, MaskRcnnFpn.concat(proposals), MaskRcnnFpn.imageIndex(proposals), false);
    return roiHead.detect(heads.get(0), heads.get(1), proposals, batch);
  }

  private NDArray trunk(ParameterStore store, NDArray images, boolean training) {
    NDList stages = backbone.forwardStages(store, images, training, 3);
    stages.get(0).close();
    stages.get(1).close();
    return stages.get(2);
  }

  /** [R, K + 1] class logits and [R, 4K] deltas of the RoIs. */
  private NDList boxHead(
      ParameterStore store, NDArray c4, float[] rois, int[] imageIndex, boolean training) {
    NDArray pooled = roiAlign.apply(c4, rois, imageIndex);
    NDArray res5 = backbone.forwardStage(store, 4, pooled, training);
    NDArray normed = Convs.apply(extraNorm, store, res5, training);
    NDArray vector = normed.reshape(normed.getShape().get(0), normed.getShape().get(1), -1).mean(new int[] {2});
    return new NDList(
        Convs.apply(cls, store, vector, training), Convs.apply(reg, store, vector, training));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(trunk(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, new Shape(1, 3, 64, 64));
    int c4 = backbone.spec().stageChannels(3);
    int c5 = backbone.spec().stageChannels(4);
    rpn.initialize(manager, dataType, new Shape(1, c4, 4, 4));
    extraNorm.initialize(manager, dataType, new Shape(1, c5, 7, 7));
    cls.initialize(manager, dataType, new Shape(1, c5));
    reg.initialize(manager, dataType, new Shape(1, c5));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    int c4 = backbone.spec().stageChannels(3);
    return new Shape[] {new Shape(s.get(0), c4, (s.get(2) + 15) / 16, (s.get(3) + 15) / 16)};
  }
}
