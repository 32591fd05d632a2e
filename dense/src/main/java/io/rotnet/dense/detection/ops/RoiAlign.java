package io.rotnet.dense.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mmcv's {@code RoIAlign(aligned=True, pool_mode='avg')} on any DJL engine, as two matrix products
 * per RoI: {@code out = Ay . F[window] . Ax^T} with the per-axis weights of {@link
 * RoiAlignWeights}. Each RoI reads only the window of cells its samples touch; windows are
 * rounded up (see {@link #bucket}, capped at the map) so that RoIs of one size class are gathered
 * and multiplied together, in chunks of a bounded number of elements. The features get exact
 * gradients from autograd; the boxes get none (mmcv gives none either).
 */
public final class RoiAlign {

  /** Elements of gathered windows per chunk (64 MiB of float32). */
  private static final long CHUNK_ELEMENTS = 16L << 20;

  private final int pooledHeight;
  private final int pooledWidth;
  private final float spatialScale;
  private final int samplingRatio;

  public RoiAlign(int pooledHeight, int pooledWidth, float spatialScale, int samplingRatio) {
    this.pooledHeight = pooledHeight;
    this.pooledWidth = pooledWidth;
    this.spatialScale = spatialScale;
    this.samplingRatio = samplingRatio;
  }

  /**
   * Pools {@code rois} (x1, y1, x2, y2 in input pixels, one image index each) from {@code
   * features} [B, C, H, W] into [R, C, PH, PW].
   */
  public NDArray apply(NDArray features, float[] rois, int[] imageIndex) {
    Shape shape = features.getShape();
    int channels = (int) shape.get(1);
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    int n = Boxes.count(rois);
    NDManager manager = features.getManager();
    if (n == 0) {
      return manager.zeros(
          new Shape(0, channels, pooledHeight, pooledWidth), features.getDataType(),
          features.getDevice());
    }
    RoiAlignWeights[] ys = new RoiAlignWeights[n];
    RoiAlignWeights[] xs = new RoiAlignWeights[n];
    Map<Long, List<Integer>> buckets = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      ys[r] = RoiAlignWeights.of(rois[4 * r + 1], rois[4 * r + 3], spatialScale, pooledHeight,
          samplingRatio, height);
      xs[r] = RoiAlignWeights.of(rois[4 * r], rois[4 * r + 2], spatialScale, pooledWidth,
          samplingRatio, width);
      long key = ((long) bucket(ys[r].window(), height) << 32) | bucket(xs[r].window(), width);
      buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    // [B*H*W, C]: one row per cell, so a window is a gather of rows
    NDArray cells = features.transpose(0, 2, 3, 1).reshape(-1, channels);
    NDList pieces = new NDList();
    int[] order = new int[n];
    int placed = 0;
    for (Map.Entry<Long, List<Integer>> entry : buckets.entrySet()) {
      int hb = (int) (entry.getKey() >>> 32);
      int wb = (int) (entry.getKey() & 0xffffffffL);
      List<Integer> members = entry.getValue();
      int chunk = (int) Math.max(1, CHUNK_ELEMENTS / ((long) channels * hb * wb));
      for (int from = 0; from < members.size(); from += chunk) {
        List<Integer> part = members.subList(from, Math.min(members.size(), from + chunk));
        pieces.add(pool(cells, part, ys, xs, imageIndex, hb, wb, height, width, channels));
        for (int r : part) {
          order[placed++] = r;
        }
      }
    }
    cells.close();
    NDArray stacked = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
    int[] inverse = new int[n];
    for (int k = 0; k < n; k++) {
      inverse[order[k]] = k;
    }
    NDArray restored = stacked.get(new NDIndex("{}", HostArrays.of(manager, toLong(inverse))));
    // [R, PH, PW, C] -> [R, C, PH, PW]
    return restored.transpose(0, 3, 1, 2);
  }

  private NDArray pool(
      NDArray cells, List<Integer> part, RoiAlignWeights[] ys, RoiAlignWeights[] xs,
      int[] imageIndex, int hb, int wb, int height, int width, int channels) {
    int r = part.size();
    long[] index = new long[r * hb * wb];
    float[] ay = new float[r * pooledHeight * hb];
    float[] ax = new float[r * pooledWidth * wb];
    for (int k = 0; k < r; k++) {
      int roi = part.get(k);
      int sy = Math.min(ys[roi].start(), height - hb);
      int sx = Math.min(xs[roi].start(), width - wb);
      long base = (long) imageIndex[roi] * height * width;
      for (int h = 0; h < hb; h++) {
        for (int w = 0; w < wb; w++) {
          index[(k * hb + h) * wb + w] = base + (long) (sy + h) * width + sx + w;
        }
      }
      ys[roi].writeInto(ay, k * pooledHeight * hb, sy, hb);
      xs[roi].writeInto(ax, k * pooledWidth * wb, sx, wb);
    }
    NDManager manager = cells.getManager();
    NDArray gathered =
        cells.get(new NDIndex("{}", HostArrays.of(manager, index))).reshape(r, hb, (long) wb * channels);
    NDArray weightsY =
        HostArrays.of(manager, ay, new Shape(r, pooledHeight, hb))
            .toType(cells.getDataType(), false)
            .toDevice(cells.getDevice(), false);
    NDArray weightsX =
        HostArrays.of(manager, ax, new Shape(r, 1, pooledWidth, wb))
            .toType(cells.getDataType(), false)
            .toDevice(cells.getDevice(), false);
    NDArray rows = weightsY.matMul(gathered).reshape(r, pooledHeight, wb, channels);
    return weightsX.matMul(rows);
  }

  /**
   * Window side rounded up to a power of two up to 8, to a multiple of 8 above (so a window wastes
   * at most 8 rows or columns), at most the map's side.
   */
  private static int bucket(int window, int size) {
    int b;
    if (window <= 8) {
      b = Integer.highestOneBit(Math.max(window, 1));
      if (b < window) {
        b <<= 1;
      }
    } else {
      b = (window + 7) / 8 * 8;
    }
    return Math.min(b, size);
  }

  private static long[] toLong(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
