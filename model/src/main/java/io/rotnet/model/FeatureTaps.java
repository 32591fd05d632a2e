package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Pools the backbone's feature maps to the benchmark grids 12/6/4/3/2 and flattens them
 * (9216/9216/8192/9216/8192 dims for ResNet-50).
 *
 * <p>At the reference input (224 px) each tap uses the benchmarks' fixed AvgPool2d kernel,
 * stride and padding (zero padding counted, as in PyTorch's default), so features match the
 * reference protocol exactly. For any other input size the map is pooled adaptively to the same
 * grid with PyTorch's adaptive-pooling bins [floor(i * in / out), ceil((i + 1) * in / out)).
 */
public final class FeatureTaps {

  private FeatureTaps() {}

  /**
   * Pools feature1..feature5 of a backbone output ({@link ResNet#forward}).
   *
   * @return five arrays [N, dims(tap)] in tap order; the input arrays stay open
   */
  public static NDList pool(NDList backboneOutput) {
    if (backboneOutput.size() < 5) {
      throw new IllegalArgumentException(
          "expected the backbone's taps feature1..feature5, got " + backboneOutput.size());
    }
    NDList pooled = new NDList(5);
    for (Tap tap : Tap.spatial()) {
      pooled.add(pool(tap, backboneOutput.get(tap.index())));
    }
    return pooled;
  }

  /** Pools one feature map [N, C, H, W] of {@code tap} to [N, C * grid * grid]. */
  public static NDArray pool(Tap tap, NDArray feature) {
    Shape shape = feature.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("feature maps are NCHW, got " + shape);
    }
    if (tap == Tap.AVGPOOL) {
      return ResNet.globalAveragePool(feature);
    }
    NDArray grid = pooledGrid(tap, feature);
    NDArray flat = grid.reshape(shape.get(0), -1);
    grid.close();
    return flat;
  }

  /** The pooled map [N, C, grid, grid] before flattening. */
  static NDArray pooledGrid(Tap tap, NDArray feature) {
    Shape shape = feature.getShape();
    int height = Math.toIntExact(shape.get(2));
    int width = Math.toIntExact(shape.get(3));
    int reference = tap.referenceFeatureSize();
    if (height == reference && width == reference) {
      return feature
          .getNDArrayInternal()
          .avgPool(
              new Shape(tap.referenceKernel(), tap.referenceKernel()),
              new Shape(tap.referenceStride(), tap.referenceStride()),
              new Shape(tap.referencePadding(), tap.referencePadding()),
              false,
              true);
    }
    return adaptiveAveragePool(feature, tap.grid(), tap.grid());
  }

  /**
   * Adaptive average pooling of [N, C, H, W] to [N, C, outH, outW] with PyTorch's bin rule. When
   * the sides divide evenly this is a plain average pool; otherwise the separable bin averages
   * are applied as two small matrix products (rows, then columns), which works on any engine and
   * device.
   */
  public static NDArray adaptiveAveragePool(NDArray x, int outHeight, int outWidth) {
    Shape shape = x.getShape();
    int height = Math.toIntExact(shape.get(2));
    int width = Math.toIntExact(shape.get(3));
    if (height % outHeight == 0 && width % outWidth == 0) {
      Shape kernel = new Shape(height / outHeight, width / outWidth);
      return x.getNDArrayInternal().avgPool(kernel, kernel, new Shape(0, 0), false, true);
    }
    NDManager manager = x.getManager();
    try (NDArray rows = binAverages(manager, x, outHeight, height);
        NDArray colsT = binAverages(manager, x, outWidth, width).transpose();
        NDArray pooledCols = x.matMul(colsT)) {
      return rows.matMul(pooledCols);
    }
  }

  /** [out, in] matrix whose row i averages input positions of adaptive bin i. */
  private static NDArray binAverages(NDManager manager, NDArray like, int out, int in) {
    float[] weights = new float[out * in];
    for (int i = 0; i < out; i++) {
      int start = Math.floorDiv(i * in, out);
      int end = -Math.floorDiv(-(i + 1) * in, out); // ceil((i + 1) * in / out)
      float w = 1f / (end - start);
      for (int j = start; j < end; j++) {
        weights[i * in + j] = w;
      }
    }
    NDArray matrix = manager.create(weights, new Shape(out, in));
    if (!matrix.getDevice().equals(like.getDevice()) || matrix.getDataType() != like.getDataType()) {
      NDArray moved = matrix.toDevice(like.getDevice(), false).toType(like.getDataType(), false);
      matrix.close();
      return moved;
    }
    return matrix;
  }
}
