package io.rotnet.dense.segmentation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.rotnet.dense.data.LabelPng;
import io.rotnet.dense.data.SegmentationSample;
import io.rotnet.dense.data.Voc12AugSegmentation;
import io.rotnet.dense.metrics.SegmentationIou;
import io.rotnet.dense.nn.Bilinear;
import io.rotnet.dense.nn.IgnoreCrossEntropy;
import io.rotnet.dense.scenes.SceneGenerator;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The figures of {@code rotnet bench segmentation}: training images per second of the tiny
 * preset on written scenes (data pipeline included), forward+backward images per second of the
 * full preset's FCN R50-D8 at 512x512 (random data, no optimizer), and the forward MACs of
 * FCN-D8 counted layer by layer, from which the 20k-iteration time on one GPU is projected.
 */
public final class SegmentationBench {
  private SegmentationBench() {}

  /** The measured figures. */
  public record Figures(double tinyImagesPerSecond, int tinyIterations, double fullImagesPerSecond, int fullBatch,
      int fullSteps, double forwardGmacsPerImage) {}

  public static Figures run(ModelSpec tinyBackbone, int tinyIterations, int fullSteps, int fullBatch)
      throws IOException {
    Path dir = Files.createTempDirectory("rotnet-seg-bench");
    SceneGenerator.builder().optImages(40).optSize(64).build().write(dir);
    Voc12AugSegmentation scenes = Voc12AugSegmentation.open("scenes", dir);
    double tiny;
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet backbone = ResNet.of(tinyBackbone);
      backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      SegmentationFineTune.Result r = SegmentationFineTune.builder()
          .setPreset(SegmentationPreset.TINY.withIterations(tinyIterations))
          .setData(scenes.train(), scenes.val(), scenes.classes()).build().run(backbone, manager);
      tiny = r.imagesPerSecond();
    }
    double full = fullPreset(fullSteps, fullBatch);
    return new Figures(tiny, tinyIterations, full, fullBatch, fullSteps,
        forwardMacs(ModelSpec.resnet50(), 512, SegmentationPreset.FULL, 21) / 1e9);
  }

  /** One seed of the learning test's setting: the tiny preset's mIoU against background everywhere. */
  public record LearningRun(int seed, SegmentationIou.Result fineTuned, double backgroundOnlyMeanIou) {}

  /**
   * The learning test's setting (40 scenes at 64 px, three shape classes, a random backbone, the
   * tiny preset for {@code iterations}) once per seed, scenes and initialisation both seeded, so
   * the test's bound can sit below every seed and above what predicting the background gives.
   */
  public static List<LearningRun> learningSeeds(
      ModelSpec backboneSpec, int iterations, int seeds, Consumer<LearningRun> progress)
      throws IOException {
    List<LearningRun> runs = new ArrayList<>();
    for (int seed = 0; seed < seeds; seed++) {
      Path dir = Files.createTempDirectory("rotnet-seg-seed");
      SceneGenerator.builder().optImages(40).optSeed(seed + 1).optSize(64).build().write(dir);
      Voc12AugSegmentation scenes = Voc12AugSegmentation.open("scenes", dir);
      try (NDManager manager = NDManager.newBaseManager()) {
        Engine.getInstance().setRandomSeed(seed + 1);
        ResNet backbone = ResNet.of(backboneSpec);
        backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        SegmentationFineTune.Result r = SegmentationFineTune.builder()
            .setPreset(SegmentationPreset.TINY.withIterations(iterations))
            .setData(scenes.train(), scenes.val(), scenes.classes())
            .optSeed(seed)
            .build()
            .run(backbone, manager);
        LearningRun run =
            new LearningRun(seed, r.iou(), backgroundOnly(scenes.val(), scenes.classes().size()));
        runs.add(run);
        progress.accept(run);
      }
    }
    return runs;
  }

  /** mIoU of a prediction that is background (class 0) at every pixel. */
  static double backgroundOnly(List<SegmentationSample> val, int classCount) {
    SegmentationIou iou = new SegmentationIou(classCount, 255);
    for (SegmentationSample sample : val) {
      int[] labels = LabelPng.read(sample.label()).labels();
      iou.add(new int[labels.length], labels);
    }
    return iou.result().meanIou();
  }

  /** Forward+backward of the full preset's model on random 512x512 inputs, after one warm-up step. */
  static double fullPreset(int steps, int batch) {
    SegmentationPreset p = SegmentationPreset.FULL;
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(0);
      FcnModel model = new FcnModel(ModelSpec.resnet50(), 21, p.channels(), p.auxChannels(), p.dropout());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, p.crop(), p.crop()));
      for (Pair<String, Parameter> param : model.getParameters()) {
        if (param.getValue().requiresGradient()) {
          param.getValue().getArray().setRequiresGradient(true);
        }
      }
      ParameterStore store = new ParameterStore(manager, false);
      long start = 0;
      for (int s = 0; s <= steps; s++) {
        if (s == 1) {
          start = System.nanoTime();
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.randomNormal(new Shape(batch, 3, p.crop(), p.crop()));
          NDArray y = scope.randomInteger(0, 21, new Shape(batch, p.crop(), p.crop()), DataType.INT32);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList out = model.forward(store, new NDList(x), true);
            NDArray loss = IgnoreCrossEntropy.loss(Bilinear.resize(out.get(0), p.crop(), p.crop(), false), y, 255, 1f)
                .add(IgnoreCrossEntropy.loss(Bilinear.resize(out.get(1), p.crop(), p.crop(), false), y, 255, 0.4f));
            collector.backward(loss);
          }
        }
      }
      return steps * batch / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Multiply-accumulates of one forward pass of FCN-D8 (convolutions only) at {@code size}x{@code size}. */
  public static double forwardMacs(ModelSpec spec, int size, SegmentationPreset preset, int classes) {
    double macs = 0;
    int stem = spec.stemChannels();
    double s2 = Math.pow(size / 2.0, 2);
    macs += s2 * stem * 3 * 49;
    int in = stem;
    int[] blocks = spec.blocksPerStage();
    int[] resolution = {size / 4, size / 8, size / 8, size / 8};
    for (int stage = 0; stage < 4; stage++) {
      int planes = stem << stage;
      int out = spec.bottleneck() ? planes * 4 : planes;
      double area = Math.pow(resolution[stage], 2);
      for (int b = 0; b < blocks[stage]; b++) {
        double inArea = b == 0 && stage == 1 ? Math.pow(size / 4.0, 2) : area;
        if (spec.bottleneck()) {
          macs += inArea * in * planes + area * planes * planes * 9 + area * planes * out;
        } else {
          macs += area * in * planes * 9 + area * planes * planes * 9;
        }
        if (b == 0 && (stage == 1 || in != out)) {
          macs += area * in * out;
        }
        in = out;
      }
    }
    double a8 = Math.pow(size / 8.0, 2);
    int c = preset.channels();
    int stage3 = spec.stageChannels(3);
    macs += a8 * 9 * ((double) in * c + (double) c * c + (double) (in + c) * c) + a8 * c * classes;
    macs += a8 * 9 * (double) stage3 * preset.auxChannels() + a8 * preset.auxChannels() * classes;
    return macs;
  }
}
