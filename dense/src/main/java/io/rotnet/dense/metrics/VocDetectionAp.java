package io.rotnet.dense.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * VOC2007 detection AP as mmdet 2.x {@code VOCDataset.evaluate} computes it for VOC2007
 * ({@code eval_map(..., iou_thr=0.5, dataset='voc07', use_legacy_coordinate=True)}):
 *
 * <ul>
 *   <li>per class and image, detections are taken in descending score; each is matched to the
 *       ground truth of highest IoU (difficult boxes included, the first on ties, regular boxes
 *       before difficult ones). IoU {@code >=} threshold: a difficult box makes the detection
 *       neither TP nor FP; an uncovered regular box makes it a TP, a covered one an FP. Below the
 *       threshold it is an FP;
 *   <li>IoU and areas use the legacy +1 pixel ({@code (x2 - x1 + 1)(y2 - y1 + 1)}), in float32 as
 *       mmdet's {@code bbox_overlaps};
 *   <li>over all images, detections are ranked by score (ties keep image, then detection order:
 *       numpy's unstable sort leaves them unspecified), recall = tp / regular GT count,
 *       precision = tp / (tp + fp) in float32;
 *   <li>AP = mean over thresholds {@code i * 0.1}, i = 0..10, of the highest precision at recall
 *       {@code >=} threshold (0 where none): a recall of exactly 3/10 does not reach
 *       0.30000000000000004;
 *   <li>mAP = mean of AP over classes with at least one regular ground-truth box.
 * </ul>
 */
public final class VocDetectionAp {

  private final int classCount;
  private final float iouThreshold;
  private final List<List<float[]>> tp = new ArrayList<>();
  private final List<List<float[]>> scores = new ArrayList<>();
  private final long[] regularGts;

  /** A detection: box {@code [x1, y1, x2, y2]} in pixels and its score. */
  public record Detection(int label, float x1, float y1, float x2, float y2, float score) {}

  /** A ground-truth box; difficult ones are ignored (mmdet's {@code bboxes_ignore}). */
  public record GroundTruth(int label, float x1, float y1, float x2, float y2, boolean difficult) {}

  /** The outcome: AP per class (NaN for a class without regular ground truth) and the mean. */
  public record Result(double[] classAp, long[] gtCounts, double meanAp) {}

  public VocDetectionAp(int classCount) {
    this(classCount, 0.5f);
  }

  public VocDetectionAp(int classCount, float iouThreshold) {
    this.classCount = classCount;
    this.iouThreshold = iouThreshold;
    this.regularGts = new long[classCount];
    for (int c = 0; c < classCount; c++) {
      tp.add(new ArrayList<>());
      scores.add(new ArrayList<>());
    }
  }

  /** Adds one image's detections and ground truth (any order, any classes). */
  public void addImage(List<Detection> detections, List<GroundTruth> groundTruth) {
    for (int c = 0; c < classCount; c++) {
      List<Detection> dets = new ArrayList<>();
      for (Detection d : detections) {
        checkLabel(d.label());
        if (d.label() == c) {
          dets.add(d);
        }
      }
      List<GroundTruth> gts = new ArrayList<>();
      for (GroundTruth g : groundTruth) {
        checkLabel(g.label());
        if (g.label() == c && !g.difficult()) {
          gts.add(g);
        }
      }
      int regular = gts.size();
      for (GroundTruth g : groundTruth) {
        if (g.label() == c && g.difficult()) {
          gts.add(g);
        }
      }
      regularGts[c] += regular;
      addClass(c, dets, gts, regular);
    }
  }

  private void checkLabel(int label) {
    if (label < 0 || label >= classCount) {
      throw new IllegalArgumentException("label " + label + " outside 0.." + (classCount - 1));
    }
  }

  /** tpfp_default: {@code gts} holds the regular boxes first, then the difficult ones. */
  private void addClass(int c, List<Detection> dets, List<GroundTruth> gts, int regular) {
    int n = dets.size();
    if (n == 0) {
      return;
    }
    // +1: tp, -1: fp, 0: ignored
    float[] outcome = new float[n];
    float[] score = new float[n];
    Integer[] order = byScoreDescending(dets);
    boolean[] covered = new boolean[gts.size()];
    for (int rank = 0; rank < n; rank++) {
      int i = order[rank];
      Detection d = dets.get(i);
      score[i] = d.score();
      float best = -1;
      int match = -1;
      for (int g = 0; g < gts.size(); g++) {
        float iou = legacyIou(d, gts.get(g));
        if (iou > best) {
          best = iou;
          match = g;
        }
      }
      if (match >= 0 && best >= iouThreshold) {
        if (match < regular) {
          outcome[i] = covered[match] ? -1 : 1;
          covered[match] = true;
        }
      } else {
        outcome[i] = -1;
      }
    }
    tp.get(c).add(outcome);
    scores.get(c).add(score);
  }

  private static Integer[] byScoreDescending(List<Detection> dets) {
    Integer[] order = new Integer[dets.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(dets.get(b).score(), dets.get(a).score()));
    return order;
  }

  /** mmdet {@code bbox_overlaps(..., use_legacy_coordinate=True)} in float32. */
  static float legacyIou(Detection d, GroundTruth g) {
    float areaD = (d.x2() - d.x1() + 1) * (d.y2() - d.y1() + 1);
    float areaG = (g.x2() - g.x1() + 1) * (g.y2() - g.y1() + 1);
    float w = Math.max(Math.min(d.x2(), g.x2()) - Math.max(d.x1(), g.x1()) + 1, 0f);
    float h = Math.max(Math.min(d.y2(), g.y2()) - Math.max(d.y1(), g.y1()) + 1, 0f);
    float overlap = w * h;
    float union = Math.max(areaD + areaG - overlap, 1e-6f);
    return overlap / union;
  }

  public Result result() {
    double[] ap = new double[classCount];
    float sum = 0;
    int counted = 0;
    for (int c = 0; c < classCount; c++) {
      if (regularGts[c] == 0) {
        ap[c] = Double.NaN;
        continue;
      }
      ap[c] = elevenPoint(c);
      sum += (float) ap[c];
      counted++;
    }
    double mean = counted == 0 ? 0.0 : sum / counted;
    return new Result(ap, regularGts.clone(), mean);
  }

  private double elevenPoint(int c) {
    int total = 0;
    for (float[] o : tp.get(c)) {
      total += o.length;
    }
    float[] outcome = new float[total];
    float[] score = new float[total];
    int at = 0;
    for (int img = 0; img < tp.get(c).size(); img++) {
      float[] o = tp.get(c).get(img);
      System.arraycopy(o, 0, outcome, at, o.length);
      System.arraycopy(scores.get(c).get(img), 0, score, at, o.length);
      at += o.length;
    }
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
    double[] recall = new double[total];
    float[] precision = new float[total];
    float tps = 0;
    float fps = 0;
    for (int r = 0; r < total; r++) {
      float o = outcome[order[r]];
      if (o > 0) {
        tps += 1;
      } else if (o < 0) {
        fps += 1;
      }
      recall[r] = tps / (double) regularGts[c];
      precision[r] = tps / Math.max(tps + fps, Math.ulp(1f));
    }
    float ap = 0;
    for (int i = 0; i <= 10; i++) {
      double threshold = i * 0.1;
      float best = 0;
      for (int r = 0; r < total; r++) {
        if (recall[r] >= threshold && precision[r] > best) {
          best = precision[r];
        }
      }
      ap += best;
    }
    return ap / 11f;
  }
}
