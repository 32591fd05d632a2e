package io.rotnet.dense.detection.data;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.RgbPlanes;
import io.rotnet.dense.data.VocDetection;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detections;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.metrics.VocDetectionAp;
import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.model.ResNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fine-tunes a detector on VOC training images ({@link DetectionFineTune}, difficult boxes left
 * out of training) and scores VOC07 11-point AP50 on the test images: each resized to the test
 * short side, its detections mapped back to the original pixels.
 */
public final class VocDetectionFineTune {

  /**
   * AP50 per class (NaN without ground truth) and its mean, AP75, AP (mean over IoU 0.50:0.05:0.95,
   * as detectron2's VOC evaluator reports it), and the iterations trained.
   */
  public record Result(VocDetectionAp.Result ap50, double ap75, double ap, int iterations, int resumedFrom) {}

  private final DetectorConfig config;
  private final VocDetection data;
  private final DetectionFineTune fineTune;

  public VocDetectionFineTune(DetectorConfig config, VocDetection data, long seed, Path stateFile, String stateKey,
      int checkpointEvery) {
    this.config = config;
    this.data = data;
    this.fineTune = new DetectionFineTune(config, new Training(data.train()), seed, stateFile, stateKey, checkpointEvery);
  }

  /** Stops after this many iterations in total, saving the state (an interruption, for tests). */
  public VocDetectionFineTune stopAt(int iteration) {
    fineTune.stopAt(iteration);
    return this;
  }

  /** Reports the losses, learning rate and speed as {@code run} every 20 iterations. */
  public VocDetectionFineTune reportTo(ProgressListener listener, String run) {
    fineTune.reportTo(listener, run);
    return this;
  }

  /** Trains and evaluates; null when stopped early by {@link #stopAt} (the state is saved). */
  public Result run(ResNet pretrained, NDManager parent) throws IOException {
    return run(pretrained, parent, 0, null);
  }

  /** As {@link #run(ResNet, NDManager)}, also scoring at iteration 0 and every {@code scoreEvery}. */
  public Result run(ResNet pretrained, NDManager parent, int scoreEvery, Consumer<Result> curve) throws IOException {
    DetectionFineTune.Outcome<VocDetectionAp.Result[]> outcome = fineTune.run(pretrained, parent, this::evaluate,
        scoreEvery, (iteration, ap) -> curve.accept(result(ap, iteration, 0)));
    return outcome == null ? null : result(outcome.score(), outcome.iterations(), outcome.resumedFrom());
  }

  private static Result result(VocDetectionAp.Result[] ap, int iterations, int resumedFrom) {
    double mean = 0;
    for (VocDetectionAp.Result r : ap) {
      mean += r.meanAp() / ap.length;
    }
    return new Result(ap[0], ap[5].meanAp(), mean, iterations, resumedFrom);
  }

  private record Training(List<VocDetection.VocImage> images) implements DetectionFineTune.TrainingSet {
    @Override
    public int size() {
      return images.size();
    }

    @Override
    public DetectionFineTune.Example example(int index) {
      VocDetection.VocImage image = images.get(index);
      List<VocDetection.VocObject> regular = image.objects().stream().filter(o -> !o.difficult()).toList();
      float[] boxes = new float[4 * regular.size()];
      int[] labels = new int[regular.size()];
      for (int k = 0; k < regular.size(); k++) {
        VocDetection.VocObject o = regular.get(k);
        boxes[4 * k] = o.x1();
        boxes[4 * k + 1] = o.y1();
        boxes[4 * k + 2] = o.x2();
        boxes[4 * k + 3] = o.y2();
        labels[k] = o.label();
      }
      return new DetectionFineTune.Example(RgbPlanes.read(image.image()), boxes, labels, null);
    }
  }

  private VocDetectionAp.Result[] evaluate(DetectionTrainer trainer) {
    VocDetectionAp[] ap = new VocDetectionAp[10];
    for (int t = 0; t < ap.length; t++) {
      ap[t] = new VocDetectionAp(config.numClasses(), 0.5f + 0.05f * t);
    }
    for (VocDetection.VocImage image : data.test()) {
      TestView view = TestView.of(RgbPlanes.read(image.image()), config);
      Detections d = view.detect(trainer);
      List<VocDetectionAp.Detection> dets = new ArrayList<>();
      for (int k = 0; k < d.size(); k++) {
        float[] b = view.originalBox(d, k);
        dets.add(new VocDetectionAp.Detection(d.labels()[k], b[0], b[1], b[2], b[3], d.scores()[k]));
      }
      List<VocDetectionAp.GroundTruth> gts = new ArrayList<>();
      for (VocDetection.VocObject o : image.objects()) {
        gts.add(new VocDetectionAp.GroundTruth(o.label(), o.x1(), o.y1(), o.x2(), o.y2(), o.difficult()));
      }
      for (VocDetectionAp a : ap) {
        a.addImage(dets, gts);
      }
    }
    VocDetectionAp.Result[] out = new VocDetectionAp.Result[ap.length];
    for (int t = 0; t < ap.length; t++) {
      out[t] = ap[t].result();
    }
    return out;
  }
}
