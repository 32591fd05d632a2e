package io.rotnet.dense.detection.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rotnet.dense.data.CocoDetection;
import io.rotnet.dense.data.VocDetection;
import io.rotnet.dense.detection.data.CocoDetectionFineTune;
import io.rotnet.dense.detection.data.VocDetectionFineTune;
import io.rotnet.dense.detection.model.DetectionPresets;
import io.rotnet.dense.detection.model.DetectorConfig;
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
 * Learning curves of a tiny detector preset on generated scenes, over several seeds (scenes and
 * initialisation seeded together): held-out AP50 (and, for Mask R-CNN, mask AP50) before training
 * and every few iterations, from a randomly initialised backbone. The learning tests' bounds come
 * from these runs.
 */
public final class DetectionLearning {

  /** Scenes of this side and count per seed (the last fifth held out), as the learning tests use. */
  public static final int SCENE_SIZE = 128;
  public static final int SCENES = 40;
  /** The backbone the learning runs start from, randomly initialised (the plug-in tests' checkpoints). */
  public static final ModelSpec BACKBONE = new ModelSpec(18, 8, 32, 4);

  private DetectionLearning() {}

  /**
   * One point of a curve: box AP50 (VOC07 11-point for C4, COCOeval for FPN) and mask AP50
   * (COCOeval segm; NaN for box-only presets), in [0, 1].
   */
  public record Point(int seed, int iteration, double boxAp50, double maskAp50) {}

  /** Curves of {@code preset} (with {@code backbone}'s depth and width) for seeds 0 .. seeds - 1. */
  public static List<Point> curves(String preset, ModelSpec backbone, int seeds, int iterations, int scoreEvery,
      Consumer<Point> progress) throws IOException {
    List<Point> points = new ArrayList<>();
    Consumer<Point> sink = p -> {
      points.add(p);
      progress.accept(p);
    };
    for (int seed = 0; seed < seeds; seed++) {
      Path dir = Files.createTempDirectory("rotnet-det-seed");
      SceneGenerator.builder().optImages(SCENES).optSeed(seed + 1).optSize(SCENE_SIZE).build().write(dir);
      try (NDManager manager = NDManager.newBaseManager()) {
        curve(preset, backbone, dir, seed, iterations, scoreEvery, manager, sink);
      }
    }
    return points;
  }

  /** One seed's curve on the scenes written in {@code scenes}. */
  public static void curve(String preset, ModelSpec backbone, Path scenes, int seed, int iterations, int scoreEvery,
      NDManager manager, Consumer<Point> sink) throws IOException {
    Engine.getInstance().setRandomSeed(seed + 1);
    ResNet net = ResNet.of(backbone);
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    DetectorConfig base = DetectionPresets.get(preset).withIterations(iterations)
        .withBackbone(backbone.depth(), backbone.widthDivisor());
    if (base.architecture() == DetectorConfig.Architecture.C4) {
      VocDetection data = VocDetection.open("scenes", scenes);
      DetectorConfig config = base.withClasses(data.classes().size());
      Consumer<VocDetectionFineTune.Result> point =
          r -> sink.accept(new Point(seed, r.iterations(), r.ap50().meanAp(), Double.NaN));
      point.accept(new VocDetectionFineTune(config, data, seed, null, "", iterations)
          .run(net, manager, scoreEvery, point));
    } else {
      CocoDetection data = CocoDetection.open("scenes", scenes);
      DetectorConfig config = base.withClasses(data.train().categories().size());
      Consumer<CocoDetectionFineTune.Result> point =
          r -> sink.accept(new Point(seed, r.iterations(), r.bbox().get(1), r.segm().get(1)));
      point.accept(new CocoDetectionFineTune(config, data, seed, null, "", iterations)
          .run(net, manager, scoreEvery, point));
    }
  }
}
