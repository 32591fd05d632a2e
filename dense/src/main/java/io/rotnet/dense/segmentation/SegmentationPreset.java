package io.rotnet.dense.segmentation;

import java.util.List;
import java.util.Locale;

/**
 * The settings of one segmentation fine-tune, named after the config it reproduces. The tiny
 * preset differs from the full one only in values (input, head width, batch, iterations).
 *
 * @param scaleLong training and test {@code img_scale} long side (2048)
 * @param scaleShort its short side (512)
 * @param crop RandomCrop size and pad size (512)
 * @param slide whole-image inference when false (the config's {@code test_cfg=dict(mode='whole')})
 */
public record SegmentationPreset(
    String name, int scaleLong, int scaleShort, double ratioMin, double ratioMax, int crop, double catMaxRatio,
    int channels, int auxChannels, float dropout, float auxWeight, int batchSize, int iterations,
    double lr, double momentum, double weightDecay, double power, double minLr, boolean slide, int slideStride,
    int checkpointEvery) {

  /** mmseg {@code fcn_r50-d8_512x512_20k_voc12aug.py} (4 GPUs x 4 images = 16 a step). */
  public static final SegmentationPreset FULL = new SegmentationPreset("voc12aug-fcn-r50-d8-20k",
      2048, 512, 0.5, 2.0, 512, 0.75, 512, 256, 0.1f, 0.4f, 16, 20000, 0.01, 0.9, 5e-4, 0.9, 1e-4, false, 341, 500);

  /**
   * The same by values for 2 CPU cores: 64 px crops (scale 256x64), narrow heads, batch 4, 300
   * iterations, and lr 0.1: the tiny checkpoints of tests and demos are barely pretrained, and at
   * 0.01 a 100-iteration fine-tune of a random backbone only learns the class prior.
   */
  public static final SegmentationPreset TINY = new SegmentationPreset("voc12aug-fcn-r50-d8-tiny",
      256, 64, 0.5, 2.0, 64, 0.75, 32, 16, 0.1f, 0.4f, 4, 300, 0.1, 0.9, 5e-4, 0.9, 1e-4, false, 43, 100);

  public static final List<SegmentationPreset> ALL = List.of(FULL, TINY);

  public static SegmentationPreset named(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(p -> p.name.equals(wanted)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown segmentation preset '" + name + "' (" + ALL.stream().map(p -> p.name).toList() + ")"));
  }

  /** mmcv's PolyLrUpdaterHook, per iteration: {@code (lr - min) (1 - it / max)^power + min}. */
  public double learningRate(int iteration) {
    return (lr - minLr) * Math.pow(1 - iteration / (double) iterations, power) + minLr;
  }

  public SegmentationPreset withIterations(int newIterations) {
    return new SegmentationPreset(name, scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, batchSize, newIterations, lr, momentum, weightDecay, power, minLr, slide, slideStride,
        checkpointEvery);
  }

  public SegmentationPreset withBatchSize(int newBatchSize) {
    return new SegmentationPreset(name, scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, newBatchSize, iterations, lr, momentum, weightDecay, power, minLr, slide, slideStride,
        checkpointEvery);
  }

  public SegmentationPreset withCheckpointEvery(int every) {
    return new SegmentationPreset(name, scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, batchSize, iterations, lr, momentum, weightDecay, power, minLr, slide, slideStride, every);
  }

  /** Also the learning rate, for overfitting and calibration runs. */
  public SegmentationPreset withLr(double newLr) {
    return new SegmentationPreset(name, scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, batchSize, iterations, newLr, momentum, weightDecay, power, minLr, slide, slideStride,
        checkpointEvery);
  }

  /** The resize ratio range (1, 1: no scale augmentation, e.g. to overfit one image). */
  public SegmentationPreset withRatioRange(double newMin, double newMax) {
    return new SegmentationPreset(name, scaleLong, scaleShort, newMin, newMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, batchSize, iterations, lr, momentum, weightDecay, power, minLr, slide, slideStride,
        checkpointEvery);
  }

  public SegmentationPreset withSlide(boolean newSlide) {
    return new SegmentationPreset(name, scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio, channels, auxChannels,
        dropout, auxWeight, batchSize, iterations, lr, momentum, weightDecay, power, minLr, newSlide, slideStride,
        checkpointEvery);
  }
}
