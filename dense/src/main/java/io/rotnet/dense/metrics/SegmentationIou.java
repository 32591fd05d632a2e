package io.rotnet.dense.metrics;

/**
 * Semantic segmentation IoU as mmseg 0.x computes it ({@code intersect_and_union} with
 * {@code pre_eval}, then {@code total_area_to_metrics}): pixels labelled {@code ignoreIndex} are
 * dropped; per class, the intersection, predicted area and label area are summed over the whole
 * dataset (labels or predictions outside 0..classes-1 fall outside torch.histc's bins and count
 * nowhere); IoU = intersection / (pred + label - intersection). mIoU is the NaN-mean: a class
 * absent from both predictions and labels (union 0) is skipped. aAcc = sum of intersections /
 * sum of label areas.
 */
public final class SegmentationIou {

  private final int classCount;
  private final int ignoreIndex;
  private final long[] intersect;
  private final long[] predArea;
  private final long[] labelArea;

  /** Per-class IoU (NaN where the union is empty), their NaN-mean, and overall pixel accuracy. */
  public record Result(double[] classIou, double meanIou, double pixelAccuracy) {}

  public SegmentationIou(int classCount, int ignoreIndex) {
    this.classCount = classCount;
    this.ignoreIndex = ignoreIndex;
    this.intersect = new long[classCount];
    this.predArea = new long[classCount];
    this.labelArea = new long[classCount];
  }

  public int classCount() {
    return classCount;
  }

  /** Adds one image: prediction and label maps of equal length (row-major). */
  public void add(int[] prediction, int[] label) {
    if (prediction.length != label.length) {
      throw new IllegalArgumentException(
          "prediction has " + prediction.length + " pixels, label " + label.length);
    }
    for (int i = 0; i < label.length; i++) {
      int l = label[i];
      if (l == ignoreIndex) {
        continue;
      }
      int p = prediction[i];
      boolean pIn = p >= 0 && p < classCount;
      if (pIn) {
        predArea[p]++;
      }
      if (l >= 0 && l < classCount) {
        labelArea[l]++;
        if (p == l) {
          intersect[l]++;
        }
      }
    }
  }

  /** Adds another accumulator's counts (e.g. of another worker). */
  public void addAll(SegmentationIou other) {
    if (other.classCount != classCount) {
      throw new IllegalArgumentException("class counts differ: " + classCount + " vs " + other.classCount);
    }
    for (int c = 0; c < classCount; c++) {
      intersect[c] += other.intersect[c];
      predArea[c] += other.predArea[c];
      labelArea[c] += other.labelArea[c];
    }
  }

  public Result result() {
    double[] iou = new double[classCount];
    double sum = 0;
    int counted = 0;
    long allIntersect = 0;
    long allLabel = 0;
    for (int c = 0; c < classCount; c++) {
      long union = predArea[c] + labelArea[c] - intersect[c];
      iou[c] = union == 0 ? Double.NaN : intersect[c] / (double) union;
      if (!Double.isNaN(iou[c])) {
        sum += iou[c];
        counted++;
      }
      allIntersect += intersect[c];
      allLabel += labelArea[c];
    }
    return new Result(iou, counted == 0 ? Double.NaN : sum / counted,
        allLabel == 0 ? Double.NaN : allIntersect / (double) allLabel);
  }
}
