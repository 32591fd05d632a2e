package io.rotnet.dense.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A port of pycocotools' {@code COCOeval} (evaluate, accumulate, summarize) for {@code bbox} and
 * {@code segm}:
 *
 * <ul>
 *   <li>10 IoU thresholds {@code linspace(.5, .95, 10)}, 101 recall thresholds
 *       {@code linspace(0, 1, 101)} (both as numpy computes them), area ranges all / small
 *       (&lt; 32^2) / medium (&lt; 96^2) / large, maxDets 1 / 10 / 100 (mmdet passes 100 / 300 /
 *       1000; summarize then reads them as cocoeval does);
 *   <li>per image and category, detections in descending score with a stable sort, truncated to
 *       the largest maxDets; ground truth that is crowd or outside the area range is ignored and
 *       sorted last (stable); greedy matching per threshold ({@code iou >= min(t, 1 - 1e-10)}),
 *       a crowd region may absorb several detections, a detection matched to an ignored box is
 *       ignored, an unmatched detection outside the area range too;
 *   <li>box IoU without +1, crowd IoU = intersection / detection area; mask IoU on RLE; areas
 *       of ground truth come from the annotation, of detections from {@code w * h} (bbox) or the
 *       mask (segm);
 *   <li>precision made monotone from the right, sampled at the recall thresholds with
 *       {@code searchsorted(side='left')} (missing points 0); -1 for cells without ground truth;
 *       a summary is the mean over cells that are not -1, or -1.
 * </ul>
 *
 * <p>Images are those given (default: every image id of the ground truth); categories likewise.
 */
public final class CocoEval {

  /** Which overlap the evaluation uses. */
  public enum IouType { BBOX, SEGM }

  /** A ground-truth annotation; ids must be unique. {@code mask} is needed for segm only. */
  public record Annotation(long id, long imageId, int categoryId, double[] bbox, double area, boolean crowd, Rle mask) {}

  /** A detection; {@code bbox} {@code [x, y, w, h]} for bbox, {@code mask} for segm. */
  public record Detection(long imageId, int categoryId, double[] bbox, double score, Rle mask) {
    double area(IouType type) {
      return type == IouType.BBOX ? bbox[2] * bbox[3] : mask.area();
    }
  }

  /** The 12 numbers of {@code COCOeval.stats}. */
  public record Stats(double[] values) {
    public static final String[] NAMES = {"mAP", "AP50", "AP75", "APs", "APm", "APl",
        "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};

    public double get(int i) {
      return values[i];
    }
  }

  static final double[] AREA_LOW = {0, 0, 32 * 32, 96 * 96};
  static final double[] AREA_HIGH = {1e10, 32 * 32, 96 * 96, 1e10};

  private final IouType type;
  private final int[] maxDets;
  private final double[] iouThrs = new double[10];
  private final double[] recThrs = new double[101];

  public CocoEval(IouType type) {
    this(type, new int[] {1, 10, 100});
  }

  public CocoEval(IouType type, int[] maxDets) {
    if (maxDets.length != 3) {
      throw new IllegalArgumentException("cocoeval's summary reads three maxDets");
    }
    this.type = type;
    this.maxDets = maxDets.clone();
    double step = (0.95 - .5) / 9;
    for (int i = 0; i < 10; i++) {
      iouThrs[i] = i * step + .5;
    }
    iouThrs[9] = 0.95;
    double rstep = 1.0 / 100;
    for (int i = 0; i < 101; i++) {
      recThrs[i] = i * rstep;
    }
    recThrs[100] = 1.0;
  }

  /** Evaluates over every image and category that the ground truth names. */
  public Stats evaluate(List<Annotation> gts, List<Detection> dts, long[] imageIds, int[] categoryIds) {
    long[] imgs = new TreeSet<>(Arrays.stream(imageIds).boxed().toList()).stream().mapToLong(Long::longValue).toArray();
    int[] cats = new TreeSet<>(Arrays.stream(categoryIds).boxed().toList()).stream().mapToInt(Integer::intValue).toArray();
    Map<String, List<Annotation>> gtBy = new HashMap<>();
    for (Annotation g : gts) {
      gtBy.computeIfAbsent(g.imageId() + "/" + g.categoryId(), k -> new ArrayList<>()).add(g);
    }
    Map<String, List<Detection>> dtBy = new HashMap<>();
    for (Detection d : dts) {
      dtBy.computeIfAbsent(d.imageId() + "/" + d.categoryId(), k -> new ArrayList<>()).add(d);
    }
    int maxDet = maxDets[2];
    int areas = AREA_LOW.length;
    // evalImgs[k][a][i]
    ImageEval[][][] evals = new ImageEval[cats.length][areas][imgs.length];
    for (int k = 0; k < cats.length; k++) {
      for (int i = 0; i < imgs.length; i++) {
        String key = imgs[i] + "/" + cats[k];
        List<Annotation> gt = gtBy.getOrDefault(key, List.of());
        List<Detection> dt = dtBy.getOrDefault(key, List.of());
        if (gt.isEmpty() && dt.isEmpty()) {
          continue;
        }
        List<Detection> sorted = byScore(dt, maxDet);
        double[][] ious = ious(sorted, gt);
        for (int a = 0; a < areas; a++) {
          evals[k][a][i] = evaluateImage(gt, sorted, ious, a);
        }
      }
    }
    return summarize(accumulate(evals, cats.length, imgs.length));
  }

  private static List<Detection> byScore(List<Detection> dt, int maxDet) {
    List<Detection> sorted = new ArrayList<>(dt);
    sorted.sort(Comparator.comparingDouble((Detection d) -> -d.score())); // List.sort is stable
    return sorted.size() > maxDet ? sorted.subList(0, maxDet) : sorted;
  }

  private double[][] ious(List<Detection> dt, List<Annotation> gt) {
    double[][] out = new double[dt.size()][gt.size()];
    for (int d = 0; d < dt.size(); d++) {
      for (int g = 0; g < gt.size(); g++) {
        Annotation a = gt.get(g);
        out[d][g] = type == IouType.BBOX
            ? boxIou(dt.get(d).bbox(), a.bbox(), a.crowd())
            : dt.get(d).mask().iou(a.mask(), a.crowd());
      }
    }
    return out;
  }

  /** maskApi {@code bbIou}: boxes {@code [x, y, w, h]}, no +1. */
  static double boxIou(double[] d, double[] g, boolean crowd) {
    double w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
    if (h <= 0) {
      return 0;
    }
    double i = w * h;
    double da = d[2] * d[3];
    double u = crowd ? da : da + g[2] * g[3] - i;
    return i / u;
  }

  private record ImageEval(double[] scores, boolean[][] matched, boolean[][] ignored, int regularGts) {}

  private ImageEval evaluateImage(List<Annotation> gtIn, List<Detection> dt, double[][] iousIn, int a) {
    int gCount = gtIn.size();
    boolean[] ignoreIn = new boolean[gCount];
    for (int g = 0; g < gCount; g++) {
      Annotation ann = gtIn.get(g);
      ignoreIn[g] = ann.crowd() || ann.area() < AREA_LOW[a] || ann.area() > AREA_HIGH[a];
    }
    // ignored ground truth last, stable
    int[] order = new int[gCount];
    int at = 0;
    for (int g = 0; g < gCount; g++) {
      if (!ignoreIn[g]) {
        order[at++] = g;
      }
    }
    int regular = at;
    for (int g = 0; g < gCount; g++) {
      if (ignoreIn[g]) {
        order[at++] = g;
      }
    }
    boolean[] gtIg = new boolean[gCount];
    boolean[] crowd = new boolean[gCount];
    for (int g = 0; g < gCount; g++) {
      gtIg[g] = ignoreIn[order[g]];
      crowd[g] = gtIn.get(order[g]).crowd();
    }
    int t = iouThrs.length;
    int dCount = dt.size();
    boolean[][] gtm = new boolean[t][gCount];
    boolean[][] dtm = new boolean[t][dCount];
    boolean[][] dtIg = new boolean[t][dCount];
    if (gCount > 0 && dCount > 0) {
      for (int ti = 0; ti < t; ti++) {
        for (int d = 0; d < dCount; d++) {
          double best = Math.min(iouThrs[ti], 1 - 1e-10);
          int m = -1;
          for (int g = 0; g < gCount; g++) {
            if (gtm[ti][g] && !crowd[g]) {
              continue;
            }
            if (m > -1 && !gtIg[m] && gtIg[g]) {
              break;
            }
            double iou = iousIn[d][order[g]];
            if (iou < best) {
              continue;
            }
            best = iou;
            m = g;
          }
          if (m == -1) {
            continue;
          }
          dtIg[ti][d] = gtIg[m];
          dtm[ti][d] = true;
          gtm[ti][m] = true;
        }
      }
    }
    double[] scores = new double[dCount];
    for (int d = 0; d < dCount; d++) {
      Detection det = dt.get(d);
      scores[d] = det.score();
      double area = det.area(type);
      boolean outside = area < AREA_LOW[a] || area > AREA_HIGH[a];
      for (int ti = 0; ti < t; ti++) {
        dtIg[ti][d] |= !dtm[ti][d] && outside;
      }
    }
    return new ImageEval(scores, dtm, dtIg, regular);
  }

  /** precision[t][r][k][a][m] and recall[t][k][a][m], -1 where undefined. */
  private record Accumulated(double[][][][][] precision, double[][][][] recall) {}

  private Accumulated accumulate(ImageEval[][][] evals, int cats, int imgs) {
    int t = iouThrs.length;
    int r = recThrs.length;
    int areas = AREA_LOW.length;
    double[][][][][] precision = new double[t][r][cats][areas][3];
    double[][][][] recall = new double[t][cats][areas][3];
    for (double[][][][] a : precision) {
      for (double[][][] b : a) {
        for (double[][] c : b) {
          for (double[] d : c) {
            Arrays.fill(d, -1);
          }
        }
      }
    }
    for (double[][][] a : recall) {
      for (double[][] b : a) {
        for (double[] c : b) {
          Arrays.fill(c, -1);
        }
      }
    }
    for (int k = 0; k < cats; k++) {
      for (int a = 0; a < areas; a++) {
        for (int mi = 0; mi < 3; mi++) {
          int maxDet = maxDets[mi];
          List<ImageEval> e = new ArrayList<>();
          for (int i = 0; i < imgs; i++) {
            if (evals[k][a][i] != null) {
              e.add(evals[k][a][i]);
            }
          }
          if (e.isEmpty()) {
            continue;
          }
          int total = 0;
          int npig = 0;
          for (ImageEval ie : e) {
            total += Math.min(maxDet, ie.scores().length);
            npig += ie.regularGts();
          }
          double[] scores = new double[total];
          int[] owner = new int[total];
          int[] index = new int[total];
          int at = 0;
          for (int j = 0; j < e.size(); j++) {
            int n = Math.min(maxDet, e.get(j).scores().length);
            for (int d = 0; d < n; d++) {
              scores[at] = e.get(j).scores()[d];
              owner[at] = j;
              index[at] = d;
              at++;
            }
          }
          if (npig == 0) {
            continue;
          }
          Integer[] inds = new Integer[total];
          for (int i = 0; i < total; i++) {
            inds[i] = i;
          }
          Arrays.sort(inds, Comparator.comparingDouble(i -> -scores[i])); // stable (mergesort)
          for (int ti = 0; ti < t; ti++) {
            double[] rc = new double[total];
            double[] pr = new double[total];
            long tp = 0;
            long fp = 0;
            for (int p = 0; p < total; p++) {
              ImageEval ie = e.get(owner[inds[p]]);
              int d = index[inds[p]];
              if (!ie.ignored()[ti][d]) {
                if (ie.matched()[ti][d]) {
                  tp++;
                } else {
                  fp++;
                }
              }
              rc[p] = tp / (double) npig;
              pr[p] = tp / (fp + tp + Math.ulp(1.0));
            }
            recall[ti][k][a][mi] = total > 0 ? rc[total - 1] : 0;
            for (int i = total - 1; i > 0; i--) {
              if (pr[i] > pr[i - 1]) {
                pr[i - 1] = pr[i];
              }
            }
            for (int ri = 0; ri < r; ri++) {
              int pos = searchLeft(rc, recThrs[ri]);
              precision[ti][ri][k][a][mi] = pos < total ? pr[pos] : 0;
            }
          }
        }
      }
    }
    return new Accumulated(precision, recall);
  }

  /** numpy {@code searchsorted(sorted, value, side='left')}. */
  private static int searchLeft(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private Stats summarize(Accumulated acc) {
    double[] s = new double[12];
    s[0] = summarize(acc, true, -1, 0, 100);
    s[1] = summarize(acc, true, .5, 0, maxDets[2]);
    s[2] = summarize(acc, true, .75, 0, maxDets[2]);
    s[3] = summarize(acc, true, -1, 1, maxDets[2]);
    s[4] = summarize(acc, true, -1, 2, maxDets[2]);
    s[5] = summarize(acc, true, -1, 3, maxDets[2]);
    s[6] = summarize(acc, false, -1, 0, maxDets[0]);
    s[7] = summarize(acc, false, -1, 0, maxDets[1]);
    s[8] = summarize(acc, false, -1, 0, maxDets[2]);
    s[9] = summarize(acc, false, -1, 1, maxDets[2]);
    s[10] = summarize(acc, false, -1, 2, maxDets[2]);
    s[11] = summarize(acc, false, -1, 3, maxDets[2]);
    return new Stats(s);
  }

  /** {@code _summarize}: the mean over cells that are not -1 (a maxDets absent from the list: -1). */
  private double summarize(Accumulated acc, boolean ap, double iouThr, int area, int maxDet) {
    int m = -1;
    for (int i = 0; i < 3; i++) {
      if (maxDets[i] == maxDet) {
        m = i;
      }
    }
    if (m < 0) {
      return -1;
    }
    double sum = 0;
    long n = 0;
    for (int ti = 0; ti < iouThrs.length; ti++) {
      if (iouThr >= 0 && iouThrs[ti] != iouThr) {
        continue;
      }
      if (ap) {
        for (double[][][][] byR : new double[][][][][] {acc.precision()[ti]}) {
          for (double[][][] byK : byR) {
            for (double[][] byA : byK) {
              double v = byA[area][m];
              if (v > -1) {
                sum += v;
                n++;
              }
            }
          }
        }
      } else {
        for (double[][] byA : acc.recall()[ti]) {
          double v = byA[area][m];
          if (v > -1) {
            sum += v;
            n++;
          }
        }
      }
    }
    return n == 0 ? -1 : sum / n;
  }
}
