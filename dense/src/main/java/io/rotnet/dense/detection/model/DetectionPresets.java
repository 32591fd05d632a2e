package io.rotnet.dense.detection.model;

import io.rotnet.dense.detection.model.DetectorConfig.Anchors;
import io.rotnet.dense.detection.model.DetectorConfig.Architecture;
import io.rotnet.dense.detection.model.DetectorConfig.Assigner;
import io.rotnet.dense.detection.model.DetectorConfig.Backbone;
import io.rotnet.dense.detection.model.DetectorConfig.Data;
import io.rotnet.dense.detection.model.DetectorConfig.Proposals;
import io.rotnet.dense.detection.model.DetectorConfig.Rcnn;
import io.rotnet.dense.detection.model.DetectorConfig.Rpn;
import io.rotnet.dense.detection.model.DetectorConfig.Sampler;
import io.rotnet.dense.detection.model.DetectorConfig.Schedule;
import io.rotnet.dense.detection.model.DetectorConfig.Test;
import java.util.List;
import java.util.Locale;

/**
 * Named detector presets. The two reference presets carry MMSelfSup 0.x's benchmark configs
 * ({@code voc0712/faster_rcnn_r50_c4_mstrain_24k_voc0712.py}, {@code
 * coco/mask_rcnn_r50_fpn_mstrain_1x_coco.py} and their mmdet 2.x bases); the tiny presets are
 * derived from them by values only (narrow ResNet-50, small images, fewer anchors, proposals and
 * RoIs, short schedules), for CPU tests.
 */
public final class DetectionPresets {

  public static final String VOC_C4 = "voc0712-faster-rcnn-r50-c4-24k";
  public static final String COCO_FPN = "coco-mask-rcnn-r50-fpn-1x";
  public static final String TINY_C4 = "tiny-faster-rcnn-r50-c4";
  public static final String TINY_FPN = "tiny-mask-rcnn-r50-fpn";

  private static final float[] RATIOS = {0.5f, 1f, 2f};
  private static final float[] RCNN_STDS = {0.1f, 0.1f, 0.2f, 0.2f};
  private static final Assigner RPN_ASSIGNER = new Assigner(0.7f, 0.3f, 0.3f, true);
  private static final Test TEST = new Test(0.05f, 0.5f, 100, 0.5f);

  /** COCO train2017 images with at least one annotation. */
  private static final int COCO_TRAIN_IMAGES = 117266;

  private DetectionPresets() {}

  public static List<String> names() {
    return List.of(VOC_C4, COCO_FPN, TINY_C4, TINY_FPN);
  }

  public static DetectorConfig get(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case VOC_C4:
        return vocC4();
      case COCO_FPN:
        return cocoFpn();
      case TINY_C4:
        return tinyC4();
      case TINY_FPN:
        return tinyFpn();
      default:
        throw new IllegalArgumentException(
            "unknown detection preset '" + name + "' (known: " + names() + ")");
    }
  }

  /** Faster R-CNN R50-C4 on VOC07+12, 24k iterations of 16 images. */
  public static DetectorConfig vocC4() {
    return new DetectorConfig(
        VOC_C4,
        Architecture.C4,
        new Backbone(50, 1, 0),
        20,
        new Anchors(new int[] {16}, new float[] {2, 4, 8, 16, 32}, RATIOS),
        new Rpn(
            1024, 0, RPN_ASSIGNER, new Sampler(256, 0.5f, false),
            new Proposals(12000, 0.7f, 2000, 0f), new Proposals(6000, 0.7f, 1000, 0f)),
        new Rcnn(
            14, 0, 0, new Assigner(0.5f, 0.5f, 0.5f, false), new Sampler(512, 0.25f, true),
            RCNN_STDS, 0, 0, 0, 0, 0),
        TEST,
        new Schedule(0.02f, 0.9f, 1e-4f, 100, 0.001f, new int[] {18000, 22000}, 0.1f, 24000),
        new Data(steps(480, 800, 32), 1333, 0.5f, 32, 800, 16, 16551));
  }

  /**
   * Mask R-CNN R50-FPN 1x on COCO: 12 epochs of 16 images, steps after epochs 8 and 11, expressed
   * in iterations of ceil(117266 / 16) per epoch.
   */
  public static DetectorConfig cocoFpn() {
    int perEpoch = (COCO_TRAIN_IMAGES + 15) / 16;
    return new DetectorConfig(
        COCO_FPN,
        Architecture.FPN,
        new Backbone(50, 1, 256),
        80,
        new Anchors(new int[] {4, 8, 16, 32, 64}, new float[] {8}, RATIOS),
        new Rpn(
            256, -1, RPN_ASSIGNER, new Sampler(256, 0.5f, false),
            new Proposals(2000, 0.7f, 1000, 0f), new Proposals(1000, 0.7f, 1000, 0f)),
        new Rcnn(
            7, 14, 0, new Assigner(0.5f, 0.5f, 0.5f, true), new Sampler(512, 0.25f, true),
            RCNN_STDS, 4, 256, 1024, 4, 28),
        TEST,
        new Schedule(
            0.02f, 0.9f, 1e-4f, 1000, 0.001f, new int[] {8 * perEpoch, 11 * perEpoch}, 0.1f,
            12 * perEpoch),
        new Data(steps(640, 800, 32), 1333, 0.5f, 32, 800, 16, COCO_TRAIN_IMAGES));
  }

  /** {@link #vocC4()} at 1/16 width on 96-128 px images with 3 classes. */
  public static DetectorConfig tinyC4() {
    DetectorConfig ref = vocC4();
    return new DetectorConfig(
        TINY_C4,
        Architecture.C4,
        new Backbone(50, 16, 0),
        3,
        new Anchors(new int[] {16}, new float[] {1, 2, 4}, RATIOS),
        new Rpn(
            1024 / 16, 0, RPN_ASSIGNER, new Sampler(64, 0.5f, false),
            new Proposals(600, 0.7f, 128, 0f), new Proposals(300, 0.7f, 64, 0f)),
        new Rcnn(
            14, 0, 0, ref.rcnn().assigner(), new Sampler(64, 0.25f, true), RCNN_STDS, 0, 0, 0, 0,
            0),
        TEST,
        new Schedule(0.02f, 0.9f, 1e-4f, 10, 0.001f, new int[] {150, 180}, 0.1f, 200),
        new Data(new int[] {96, 112, 128}, 160, 0.5f, 32, 128, 2, 64));
  }

  /** {@link #cocoFpn()} at 1/16 width (FPN 32 channels) on 96-128 px images with 3 classes. */
  public static DetectorConfig tinyFpn() {
    DetectorConfig ref = cocoFpn();
    return new DetectorConfig(
        TINY_FPN,
        Architecture.FPN,
        new Backbone(50, 16, 32),
        3,
        new Anchors(new int[] {4, 8, 16, 32, 64}, new float[] {4}, RATIOS),
        new Rpn(
            32, -1, RPN_ASSIGNER, new Sampler(64, 0.5f, false),
            new Proposals(200, 0.7f, 128, 0f), new Proposals(100, 0.7f, 64, 0f)),
        new Rcnn(
            7, 14, 0, ref.rcnn().assigner(), new Sampler(64, 0.25f, true), RCNN_STDS, 4, 32, 64,
            4, 28),
        TEST,
        // lr halved: 2 images per step instead of 16, and single-image runs at 0.02 diverged
        new Schedule(0.01f, 0.9f, 1e-4f, 10, 0.001f, new int[] {150, 180}, 0.1f, 200),
        new Data(new int[] {96, 112, 128}, 160, 0.5f, 32, 128, 2, 64));
  }

  private static int[] steps(int from, int to, int step) {
    int[] out = new int[(to - from) / step + 1];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i * step;
    }
    return out;
  }
}
