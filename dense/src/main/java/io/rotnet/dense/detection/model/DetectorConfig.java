package io.rotnet.dense.detection.model;

/**
 * Every value of a two-stage detector's mmdet 2.x config, grouped as the config files group them.
 * Presets ({@link DetectionPresets}) hold the references' values; tiny presets change values only.
 *
 * @param name preset name
 * @param architecture {@code C4} (Faster R-CNN R50-C4) or {@code FPN} (Mask R-CNN R50-FPN)
 * @param backbone ResNet depth and width
 * @param numClasses foreground classes (20 for VOC, 80 for COCO)
 * @param anchors anchor strides, scales and ratios
 * @param rpn RPN head, targets and proposal settings
 * @param rcnn RoI head settings
 * @param test test-time post-processing
 * @param schedule optimiser and learning-rate schedule
 * @param data input scales and batch
 */
public record DetectorConfig(
    String name,
    Architecture architecture,
    Backbone backbone,
    int numClasses,
    Anchors anchors,
    Rpn rpn,
    Rcnn rcnn,
    Test test,
    Schedule schedule,
    Data data) {

  /**
   * The same detector on another backbone (the checkpoint's depth and width): a benchmark
   * fine-tunes whatever ResNet the checkpoint holds, the heads keep the preset's values.
   */
  public DetectorConfig withBackbone(int depth, int widthDivisor) {
    return new DetectorConfig(name, architecture, new Backbone(depth, widthDivisor, backbone.fpnChannels()),
        numClasses, anchors, rpn, rcnn, test, schedule, data);
  }

  /** The same detector for another number of foreground classes (the dataset's). */
  public DetectorConfig withClasses(int newNumClasses) {
    return new DetectorConfig(name, architecture, backbone, newNumClasses, anchors, rpn, rcnn, test, schedule, data);
  }

  /** The same schedule stopped at {@code iterations} (warm-up and steps unchanged), for demos. */
  public DetectorConfig withIterations(int iterations) {
    Schedule s = schedule;
    return new DetectorConfig(name, architecture, backbone, numClasses, anchors, rpn, rcnn, test,
        new Schedule(s.lr(), s.momentum(), s.weightDecay(), s.warmupIterations(), s.warmupRatio(), s.steps(),
            s.gamma(), iterations),
        data);
  }

  /** The two reference detectors. */
  public enum Architecture {
    C4,
    FPN
  }

  /**
   * @param depth ResNet depth (50 in both references)
   * @param widthDivisor divides every channel count (1 = reference)
   * @param fpnChannels FPN output channels (256; unused by C4)
   */
  public record Backbone(int depth, int widthDivisor, int fpnChannels) {}

  /** {@code strides.length} levels; C4 has one (16), FPN five (4..64). */
  public record Anchors(int[] strides, float[] scales, float[] ratios) {
    public int perLocation() {
      return scales.length * ratios.length;
    }
  }

  /**
   * Settings of the max-IoU assigner.
   *
   * @param posIou positive at or above
   * @param negIou negative below
   * @param minPosIou lowest IoU a low-quality match may have
   * @param matchLowQuality whether each GT claims its best boxes
   */
  public record Assigner(float posIou, float negIou, float minPosIou, boolean matchLowQuality) {}

  /** Random sampler: {@code num} per image, {@code posFraction} positive at most. */
  public record Sampler(int num, float posFraction, boolean addGtAsProposals) {}

  /**
   * Proposal generation: top {@code nmsPre} by score (per level for FPN), NMS at {@code nmsIou},
   * {@code maxPerImage} kept; boxes of side {@code <= minBoxSize} dropped.
   */
  public record Proposals(int nmsPre, float nmsIou, int maxPerImage, float minBoxSize) {}

  /**
   * @param channels width of the 3x3 conv (C4: 1024 = C4's channels; FPN: 256)
   * @param allowedBorder anchors crossing the image by more than this are not trained (-1: all)
   */
  public record Rpn(
      int channels, int allowedBorder, Assigner assigner, Sampler sampler, Proposals train,
      Proposals test) {}

  /**
   * @param roiSize RoIAlign output of the box branch (C4 14, pooled to 7 by res5; FPN 7)
   * @param maskRoiSize RoIAlign output of the mask branch (14; 0 without masks)
   * @param samplingRatio RoIAlign sampling ratio (0 = adaptive)
   * @param stds DeltaXYWH stds of the box head
   * @param convs box head 3x3 convs (FPN Shared4Conv1FC: 4)
   * @param convChannels their width (256)
   * @param fcChannels the fc after them (1024)
   * @param maskConvs mask head 3x3 convs (4)
   * @param maskSize mask target side (28)
   */
  public record Rcnn(
      int roiSize, int maskRoiSize, int samplingRatio, Assigner assigner, Sampler sampler,
      float[] stds, int convs, int convChannels, int fcChannels, int maskConvs, int maskSize) {
    public boolean withMask() {
      return maskRoiSize > 0;
    }
  }

  /** Test: score threshold, per-class NMS IoU, detections per image, mask binarisation. */
  public record Test(float scoreThreshold, float nmsIou, int maxPerImage, float maskThreshold) {}

  /**
   * SGD with momentum and weight decay on every parameter, linear warm-up from {@code
   * warmupRatio x lr} over {@code warmupIterations}, x{@code gamma} at each step.
   */
  public record Schedule(
      float lr, float momentum, float weightDecay, int warmupIterations, float warmupRatio,
      int[] steps, float gamma, int maxIterations) {

    /** mmcv's linear warm-up and step policy at 0-based iteration {@code it}. */
    public float learningRate(int it) {
      float lr = this.lr;
      for (int step : steps) {
        if (it >= step) {
          lr *= gamma;
        }
      }
      if (it < warmupIterations) {
        float k = (1 - (float) it / warmupIterations) * (1 - warmupRatio);
        return lr * (1 - k);
      }
      return lr;
    }
  }

  /**
   * @param trainShortSides multi-scale training short sides ('value' mode)
   * @param maxLongSide long side bound (1333)
   * @param flipRatio horizontal flip probability
   * @param padDivisor pad to a multiple of this
   * @param testShortSide test short side (800)
   * @param imagesPerIteration images per SGD step (16)
   * @param trainImages images of the training set (for epoch-based schedules)
   */
  public record Data(
      int[] trainShortSides, int maxLongSide, float flipRatio, int padDivisor, int testShortSide,
      int imagesPerIteration, int trainImages) {}
}
