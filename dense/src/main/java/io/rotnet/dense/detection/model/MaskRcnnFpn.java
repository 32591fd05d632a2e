package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.rotnet.dense.detection.ops.Boxes;
import io.rotnet.dense.detection.ops.HostArrays;
import io.rotnet.dense.detection.ops.MaskTargets;
import io.rotnet.dense.detection.ops.PixelShuffleUpsample;
import io.rotnet.dense.detection.ops.RoiAlign;
import io.rotnet.dense.detection.ops.RoiLevels;
import io.rotnet.model.ResNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mask R-CNN R50-FPN as mmdet 2.x {@code mask_rcnn_r50_fpn} with MMSelfSup's SyncBN everywhere:
 * ResNet stages 1-4, FPN with BN (P2-P6), one RPN head shared over the five levels, RoIs mapped to
 * P2-P5 by scale and RoIAligned 7 x 7 (box) and 14 x 14 (mask), {@code Shared4Conv1FCBBoxHead}
 * with BN (4 x conv 256 + BN + ReLU, fc 1024 + ReLU, cls K + 1, class-specific reg 4K), and
 * {@code FCNMaskHead} with BN (4 x conv 256 + BN + ReLU, 2x2 stride-2 upsampling + ReLU, 1x1 to
 * K logits at 28 x 28; BCE on the GT class against RoIAligned GT bitmaps).
 */
public final class MaskRcnnFpn extends AbstractBlock implements Detector {

  private static final byte VERSION = 1;
  private static final int[] ROI_STRIDES = {4, 8, 16, 32};

  private final DetectorConfig config;
  private final ResNet backbone;
  private final Fpn fpn;
  private final RpnHead rpn;
  private final ConvStack boxConvs;
  private final Linear boxFc;
  private final Linear cls;
  private final Linear reg;
  private final ConvStack maskConvs;
  private final PixelShuffleUpsample upsample;
  private final Conv2d maskLogits;
  private final RoiAlign[] boxAlign = new RoiAlign[4];
  private final RoiAlign[] maskAlign = new RoiAlign[4];
  private final RoiHeadLogic roiHead;

  MaskRcnnFpn(DetectorConfig config) {
    super(VERSION);
    this.config = config;
    DetectorConfig.Rcnn rcnn = config.rcnn();
    backbone =
addChildBlock("backbone", Convs.backbone(config));
    fpn = addChildBlock("neck", new Fpn(config.backbone().fpnChannels()));
    rpn = addChildBlock("rpn_head", new RpnHead(config.rpn(), config.anchors(), config.data().padDivisor()));
    boxConvs = addChildBlock("bbox_convs", new ConvStack(rcnn.convs(), rcnn.convChannels()));
    boxFc = addChildBlock("bbox_fc", Convs.xavierLinear(rcnn.fcChannels()));
    cls = addChildBlock("fc_cls", Convs.normalLinear(config.numClasses() + 1, 0.01f));
    reg = addChildBlock("fc_reg", Convs.normalLinear(4 * config.numClasses(), 0.001f));
    maskConvs = addChildBlock("mask_convs", new ConvStack(rcnn.maskConvs(), rcnn.convChannels()));
    upsample = addChildBlock("mask_upsample", new PixelShuffleUpsample(rcnn.convChannels()));
    maskLogits = addChildBlock("mask_logits", maskLogitsConv(config.numClasses()));
    for (int l = 0; l < 4; l++) {
      float scale = 1f / ROI_STRIDES[l];
      boxAlign[l] = new RoiAlign(rcnn.roiSize(), rcnn.roiSize(), scale, rcnn.samplingRatio());
      maskAlign[l] =
          new RoiAlign(rcnn.maskRoiSize(), rcnn.maskRoiSize(), scale, rcnn.samplingRatio());
    }
    roiHead = new RoiHeadLogic(config);
  }

  /** FCNMaskHead's conv_logits: Kaiming-normal fan-out, bias 0. */
  private static Conv2d maskLogitsConv(int classes) {
    Conv2d conv =
        Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).optBias(true).build();
    conv.setInitializer(
        new io.rotnet.model.KaimingNormalInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
    return conv;
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
    NDList levels = pyramid(store, images, true);
    RpnHead.Outputs rpnOut = rpn.run(store, levels, true);
    Map<String, NDArray> losses = new LinkedHashMap<>();
    rpn.losses(rpnOut, batch, random, losses);
    List<float[]> proposals = rpn.proposals(rpnOut, batch, config.rpn().train());
    RoiHeadLogic.Sampled s = roiHead.sample(proposals, batch, random);
    NDList box = boxHead(store, levels, s.rois(), s.imageIndex(), true);
    roiHead.losses(box.get(0), box.get(1), s, losses);
    losses.put("loss_mask", maskLoss(store, levels, s, batch));
    return losses;
  }

  private NDArray maskLoss(
      ParameterStore store, NDList levels, RoiHeadLogic.Sampled s, DetectionBatch batch) {
    int p = s.positiveRows().length;
    int size = config.rcnn().maskSize();
    if (p == 0) {
      return Losses.zero(levels.get(0));
    }
    float[] rois = Boxes.select(s.rois(), s.positiveRows());
    int[] images = new int[p];
    long[] channel = new long[p];
    float[] targets = new float[p * size * size];
    for (int k = 0; k < p; k++) {
      int row = s.positiveRows()[k];
      images[k] = s.imageIndex()[row];
      channel[k] = (long) k * config.numClasses() + s.labels()[row];
      DetectionBatch.Image image = batch.images().get(images[k]);
      float[] t =
          MaskTargets.target(image.masks().get(s.positiveGt()[k]), image.height(), image.width(),
              Arrays.copyOfRange(rois, 4 * k, 4 * k + 4), size);
      System.arraycopy(t, 0, targets, k * size * size, t.length);
    }
    NDArray logits = maskHead(store, levels, rois, images, true);
    NDManager manager = logits.getManager();
    NDArray picked =
        logits.reshape(-1, (long) size * size).get(new NDIndex("{}", HostArrays.of(manager, channel)));
    NDArray y = RpnHead.toDevice(HostArrays.of(manager, targets, new Shape(p, (long) size * size)), picked);
    return Losses.sigmoidBce(picked, y).mean();
  }

  @Override
  public List<Detections> detect(ParameterStore store, NDArray images, DetectionBatch batch) {
    NDList levels = pyramid(store, images, false);
    RpnHead.Outputs rpnOut = rpn.run(store, levels, false);
    List<float[]> proposals = rpn.proposals(rpnOut, batch, config.rpn().test());
    NDList box = boxHead(store, levels, concat(proposals), imageIndex(proposals), false);
    List<Detections> boxes = roiHead.detect(box.get(0), box.get(1), proposals, batch);
    List<float[]> detBoxes = new ArrayList<>();
    for (Detections d : boxes) {
      detBoxes.add(d.boxes());
    }
    float[] all = concat(detBoxes);
    if (Boxes.count(all) == 0) {
      List<Detections> out = new ArrayList<>();
      for (Detections d : boxes) {
        out.add(new Detections(d.boxes(), d.scores(), d.labels(), List.of(), config.rcnn().maskSize()));
      }
      return out;
    }
    int size = config.rcnn().maskSize();
    NDArray probs = ai.djl.nn.Activation.sigmoid(maskHead(store, levels, all, imageIndex(detBoxes), false));
    float[] values = probs.toFloatArray();
    int k = config.numClasses();
    List<Detections> out = new ArrayList<>();
    int row = 0;
    for (Detections d : boxes) {
      List<float[]> masks = new ArrayList<>();
      for (int j = 0; j < d.size(); j++, row++) {
        int from = (row * k + d.labels()[j]) * size * size;
        masks.add(Arrays.copyOfRange(values, from, from + size * size));
      }
      out.add(new Detections(d.boxes(), d.scores(), d.labels(), masks, size));
    }
    return out;
  }

  private NDList pyramid(ParameterStore store, NDArray images, boolean training) {
    return fpn.apply(store, backbone.forwardStages(store, images, training, 4), training);
  }

  /** RoIAlign of each RoI on its FPN level (P2-P5), back in the RoIs' order. */
  private static NDArray extract(NDList levels, RoiAlign[] align, float[] rois, int[] imageIndex) {
    int[] level = RoiLevels.map(rois, 4);
    NDList parts = new NDList();
    int[] order = new int[level.length];
    int placed = 0;
    for (int l = 0; l < 4; l++) {
      List<Integer> members = new ArrayList<>();
      for (int r = 0; r < level.length; r++) {
        if (level[r] == l) {
          members.add(r);
        }
      }
      if (members.isEmpty()) {
        continue;
      }
      int[] idx = RoiHeadLogic.ints(members);
      int[] img = new int[idx.length];
      for (int k = 0; k < idx.length; k++) {
        img[k] = imageIndex[idx[k]];
        order[placed++] = idx[k];
      }
      parts.add(align[l].apply(levels.get(l), Boxes.select(rois, idx), img));
    }
    NDArray stacked = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    long[] inverse = new long[order.length];
    for (int k = 0; k < order.length; k++) {
      inverse[order[k]] = k;
    }
    return stacked.get(new NDIndex("{}", HostArrays.of(stacked.getManager(), inverse)));
  }

  private NDList boxHead(
      ParameterStore store, NDList levels, float[] rois, int[] imageIndex, boolean training) {
    NDArray pooled = extract(levels, boxAlign, rois, imageIndex);
    NDArray x = boxConvs.apply(store, pooled, training);
    NDArray flat = x.reshape(x.getShape().get(0), -1);
    NDArray hidden = Convs.relu(Convs.apply(boxFc, store, flat, training));
    return new NDList(
        Convs.apply(cls, store, hidden, training), Convs.apply(reg, store, hidden, training));
  }

  /** [R, K, M, M] mask logits. */
  private NDArray maskHead(
      ParameterStore store, NDList levels, float[] rois, int[] imageIndex, boolean training) {
    NDArray pooled = extract(levels, maskAlign, rois, imageIndex);
    NDArray x = maskConvs.apply(store, pooled, training);
    x = Convs.relu(Convs.apply(upsample, store, x, training));
    return Convs.apply(maskLogits, store, x, training);
  }

  /** Every image's boxes, image after image. */
  static float[] concat(List<float[]> perImage) {
    float[] out = new float[0];
    for (float[] b : perImage) {
      out = Boxes.concat(out, b);
    }
    return out;
  }

  /** The image of each box of {@link #concat}. */
  static int[] imageIndex(List<float[]> perImage) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < perImage.size(); i++) {
      for (int k = 0; k < Boxes.count(perImage.get(i)); k++) {
        out.add(i);
      }
    }
    return RoiHeadLogic.ints(out);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return pyramid(store, inputs.singletonOrThrow(), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, new Shape(1, 3, 64, 64));
    Shape[] stages = new Shape[4];
    for (int i = 0; i < 4; i++) {
      stages[i] = new Shape(1, backbone.spec().stageChannels(i + 1), 16 >> i, 16 >> i);
    }
    fpn.initialize(manager, dataType, stages);
    int c = config.backbone().fpnChannels();
    rpn.initialize(manager, dataType, new Shape(1, c, 4, 4));
    DetectorConfig.Rcnn rcnn = config.rcnn();
    Shape roi = new Shape(1, c, rcnn.roiSize(), rcnn.roiSize());
    Shape convOut = Convs.init(boxConvs, manager, dataType, roi);
    Shape fcIn = new Shape(1, convOut.size() / convOut.get(0));
    Shape hidden = Convs.init(boxFc, manager, dataType, fcIn);
    cls.initialize(manager, dataType, hidden);
    reg.initialize(manager, dataType, hidden);
    Shape maskRoi = new Shape(1, c, rcnn.maskRoiSize(), rcnn.maskRoiSize());
    Shape m = Convs.init(maskConvs, manager, dataType, maskRoi);
    m = Convs.init(upsample, manager, dataType, m);
    maskLogits.initialize(manager, dataType, m);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[0];
  }
}
