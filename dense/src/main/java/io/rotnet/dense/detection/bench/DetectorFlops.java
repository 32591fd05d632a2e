package io.rotnet.dense.detection.bench;

import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.model.ModelSpec;

/**
 * Counted multiply-accumulates of one training forward pass of a detector preset on one image:
 * every convolution and fc of the backbone, neck and heads at the preset's RoI counts (the RPN's
 * sampled RoIs per image for the box head, a quarter of them positive for the mask head).
 * RoIAlign, NMS, BN and activations are left out (well under 5% here).
 */
public final class DetectorFlops {

  private DetectorFlops() {}

  /** Forward MACs of one training image of {@code height x width} (padded) pixels. */
  public static double trainingForwardMacs(DetectorConfig config, int height, int width) {
    ModelSpec spec = new ModelSpec(config.backbone().depth(), config.backbone().widthDivisor(), 224, 4);
    int rois = config.rcnn().sampler().num();
    int a = config.anchors().perLocation();
    double macs = 0;
    int h = (height - 1) / 2 + 1;
    int w = (width - 1) / 2 + 1;
    macs += conv(3, spec.stemChannels(), 7, h, w);
    h = (h - 1) / 2 + 1;
    w = (w - 1) / 2 + 1;
    int in = spec.stemChannels();
    int lastStage = config.architecture() == DetectorConfig.Architecture.C4 ? 3 : 4;
    int[] hs = new int[5];
    int[] ws = new int[5];
    for (int s = 1; s <= lastStage; s++) {
      double[] r = stage(spec, s, in, h, w);
      macs += r[0];
      h = (int) r[1];
      w = (int) r[2];
      hs[s] = h;
      ws[s] = w;
      in = spec.stageChannels(s);
    }
    if (config.architecture() == DetectorConfig.Architecture.C4) {
      int c = config.rpn().channels();
      macs += conv(in, c, 3, h, w) + conv(c, a, 1, h, w) + conv(c, 4 * a, 1, h, w);
      int size = config.rcnn().roiSize();
      macs += rois * stage(spec, 4, in, size, size)[0];
      int c5 = spec.stageChannels(4);
      macs += rois * (double) c5 * (config.numClasses() + 1 + 4 * config.numClasses());
      return macs;
    }
    int f = config.backbone().fpnChannels();
    for (int s = 1; s <= 4; s++) {
      macs += conv(spec.stageChannels(s), f, 1, hs[s], ws[s]) + conv(f, f, 3, hs[s], ws[s]);
    }
    int c = config.rpn().channels();
    for (int s = 1; s <= 5; s++) {
      int lh = s <= 4 ? hs[s] : (hs[4] - 1) / 2 + 1;
      int lw = s <= 4 ? ws[s] : (ws[4] - 1) / 2 + 1;
      macs += conv(f, c, 3, lh, lw) + conv(c, a, 1, lh, lw) + conv(c, 4 * a, 1, lh, lw);
    }
    DetectorConfig.Rcnn rcnn = config.rcnn();
    int k = config.numClasses();
    double box = 0;
    int ch = f;
    for (int i = 0; i < rcnn.convs(); i++) {
      box += conv(ch, rcnn.convChannels(), 3, rcnn.roiSize(), rcnn.roiSize());
      ch = rcnn.convChannels();
    }
    box += (double) ch * rcnn.roiSize() * rcnn.roiSize() * rcnn.fcChannels();
    box += (double) rcnn.fcChannels() * (k + 1 + 4 * k);
    macs += rois * box;
    double mask = 0;
    int m = rcnn.maskRoiSize();
    ch = f;
    for (int i = 0; i < rcnn.maskConvs(); i++) {
      mask += conv(ch, rcnn.convChannels(), 3, m, m);
      ch = rcnn.convChannels();
    }
    mask += conv(ch, 4 * ch, 1, m, m) + conv(ch, k, 1, 2 * m, 2 * m);
    macs += rois * rcnn.sampler().posFraction() * mask;
    return macs;
  }

  /** MACs and output (h, w) of ResNet stage {@code s} (1..4) on an [in, h, w] input. */
  private static double[] stage(ModelSpec spec, int s, int in, int h, int w) {
    int blocks = spec.blocksPerStage()[s - 1];
    int planes = spec.stemChannels() << (s - 1);
    int out = spec.stageChannels(s);
    int stride = s == 1 ? 1 : 2;
    double macs = 0;
    for (int b = 0; b < blocks; b++) {
      int oh = b == 0 && stride == 2 ? (h - 1) / 2 + 1 : h;
      int ow = b == 0 && stride == 2 ? (w - 1) / 2 + 1 : w;
      int cin = b == 0 ? in : out;
      if (spec.bottleneck()) {
        macs += conv(cin, planes, 1, h, w) + conv(planes, planes, 3, oh, ow) + conv(planes, out, 1, oh, ow);
      } else {
        macs += conv(cin, planes, 3, oh, ow) + conv(planes, planes, 3, oh, ow);
      }
      if (b == 0 && (stride != 1 || cin != out)) {
        macs += conv(cin, out, 1, oh, ow);
      }
      h = oh;
      w = ow;
    }
    return new double[] {macs, h, w};
  }

  private static double conv(int in, int out, int kernel, int h, int w) {
    return (double) in * out * kernel * kernel * h * w;
  }
}
