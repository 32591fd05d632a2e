package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.rotnet.dense.detection.ops.Boxes;
import io.rotnet.dense.detection.ops.DeltaXywhCoder;
import io.rotnet.dense.detection.ops.HostArrays;
import io.rotnet.dense.detection.ops.MaxIouAssigner;
import io.rotnet.dense.detection.ops.Nms;
import io.rotnet.dense.detection.ops.RandomSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The box branch's targets, losses and test-time post-processing, shared by both detectors:
 * mmdet 2.x {@code StandardRoIHead} with a class-specific {@code BBoxHead} (softmax over K + 1,
 * background last; 4K DeltaXYWH deltas with the configured stds; CE and L1 averaged over all
 * sampled RoIs) and {@code multiclass_nms}.
 */
final class RoiHeadLogic {

  private final DetectorConfig config;
  private final DeltaXywhCoder coder;

  RoiHeadLogic(DetectorConfig config) {
    this.config = config;
    this.coder = new DeltaXywhCoder(config.rcnn().stds());
  }

  /**
   * Sampled RoIs of a batch: per image, positives then negatives.
   *
   * @param rois boxes of every sampled RoI
   * @param imageIndex image of each RoI
   * @param labels class of each RoI, {@code numClasses} for background
   * @param positiveRows rows of the positives
   * @param positiveGt GT index (within its image) of each positive
   * @param targets DeltaXYWH targets of the positives, 4 each
   */
  record Sampled(
      float[] rois, int[] imageIndex, int[] labels, int[] positiveRows, int[] positiveGt,
      float[] targets) {
    int count() {
      return labels.length;
    }
  }

  Sampled sample(List<float[]> proposals, DetectionBatch batch, Random random) {
    DetectorConfig.Rcnn rcnn = config.rcnn();
    MaxIouAssigner assigner = RpnHead.assigner(rcnn.assigner());
    RandomSampler sampler = new RandomSampler(rcnn.sampler().num(), rcnn.sampler().posFraction());
    float[] rois = new float[0];
    float[] targets = new float[0];
    List<Integer> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<Integer> positiveRows = new ArrayList<>();
    List<Integer> positiveGt = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      DetectionBatch.Image image = batch.images().get(i);
      float[] candidates =
          rcnn.sampler().addGtAsProposals()
              ? Boxes.concat(image.boxes(), proposals.get(i))
              : proposals.get(i);
      int[] assigned = assigner.assign(candidates, image.boxes()).gtIndex();
      RandomSampler.Sample s = sampler.sample(assigned, random);
      int[] gt = new int[s.positives().length];
      for (int k = 0; k < gt.length; k++) {
        gt[k] = assigned[s.positives()[k]] - 1;
        positiveRows.add(labels.size());
        positiveGt.add(gt[k]);
        labels.add(image.labels()[gt[k]]);
        images.add(i);
      }
      for (int k = 0; k < s.negatives().length; k++) {
        labels.add(config.numClasses());
        images.add(i);
      }
      float[] pos = Boxes.select(candidates, s.positives());
      rois = Boxes.concat(rois, Boxes.concat(pos, Boxes.select(candidates, s.negatives())));
      targets = Boxes.concat(targets, coder.encode(pos, Boxes.select(image.boxes(), gt)));
    }
    return new Sampled(rois, ints(images), ints(labels), ints(positiveRows), ints(positiveGt),
        targets);
  }

  /** {@code loss_cls} (CE, mean over sampled) and {@code loss_bbox} (L1 / sampled count). */
  void losses(NDArray clsLogits, NDArray deltas, Sampled s, Map<String, NDArray> losses) {
    NDManager manager = clsLogits.getManager();
    float avg = Math.max(s.count(), 1);
    long[] labels = Arrays.stream(s.labels()).asLongStream().toArray();
    NDArray y = RpnHead.toDevice(HostArrays.of(manager, labels), clsLogits);
    losses.put("loss_cls", Losses.scaled(Losses.softmaxCrossEntropySum(clsLogits, y), 1f / avg));
    int k4 = 4 * config.numClasses();
    int p = s.positiveRows().length;
    if (p == 0) {
      losses.put("loss_bbox", Losses.zero(deltas));
      return;
    }
    long[] index = new long[4 * p];
    for (int i = 0; i < p; i++) {
      int row = s.positiveRows()[i];
      for (int j = 0; j < 4; j++) {
        index[4 * i + j] = (long) row * k4 + 4L * s.labels()[row] + j;
      }
    }
    NDArray picked =
        deltas.reshape(-1).get(new NDIndex("{}", HostArrays.of(manager, index))).reshape(p, 4);
    NDArray t = RpnHead.toDevice(HostArrays.of(manager, s.targets(), new Shape(p, 4)), picked);
    losses.put("loss_bbox", Losses.scaled(picked.sub(t).abs().sum(), 1f / avg));
  }

  /**
   * Per-class decoding, score threshold, per-class NMS and the top detections of each image.
   *
   * @param clsLogits [R, K + 1] for the RoIs of every image, image after image
   * @param deltas [R, 4K]
   * @param proposals each image's RoIs
   */
  List<Detections> detect(
      NDArray clsLogits, NDArray deltas, List<float[]> proposals, DetectionBatch batch) {
    int k = config.numClasses();
    float[] probs = clsLogits.softmax(1).toFloatArray();
    float[] d = deltas.toFloatArray();
    DetectorConfig.Test test = config.test();
    List<Detections> out = new ArrayList<>();
    int row = 0;
    for (int i = 0; i < batch.size(); i++) {
      DetectionBatch.Image image = batch.images().get(i);
      float[] rois = proposals.get(i);
      int r = Boxes.count(rois);
      List<Float> scores = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      float[] boxes = new float[r * k * 4];
      int n = 0;
      for (int q = 0; q < r; q++) {
        int global = row + q;
        float[] roi = Arrays.copyOfRange(rois, 4 * q, 4 * q + 4);
        for (int c = 0; c < k; c++) {
          float score = probs[global * (k + 1) + c];
          if (score <= test.scoreThreshold()) {
            continue;
          }
          float[] delta = Arrays.copyOfRange(d, global * 4 * k + 4 * c, global * 4 * k + 4 * c + 4);
          System.arraycopy(coder.decode(roi, delta, image.height(), image.width()), 0, boxes, 4 * n, 4);
          scores.add(score);
          labels.add(c);
          n++;
        }
      }
      row += r;
      float[] kept = Arrays.copyOf(boxes, 4 * n);
      float[] sc = new float[n];
      for (int j = 0; j < n; j++) {
        sc[j] = scores.get(j);
      }
      int[] lb = ints(labels);
      int[] keep = Nms.batched(kept, sc, lb, test.nmsIou(), test.maxPerImage());
      float[] keptScores = new float[keep.length];
      int[] keptLabels = new int[keep.length];
      for (int j = 0; j < keep.length; j++) {
        keptScores[j] = sc[keep[j]];
        keptLabels[j] = lb[keep[j]];
      }
      out.add(new Detections(Boxes.select(kept, keep), keptScores, keptLabels));
    }
    return out;
  }

  static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
