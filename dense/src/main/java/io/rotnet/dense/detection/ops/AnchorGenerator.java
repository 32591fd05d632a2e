package io.rotnet.dense.detection.ops;

/**
 * mmdet 2.x {@code AnchorGenerator} for one feature level: base anchors of side {@code stride x
 * scale} at each aspect ratio (h/w), centred at offset 0 of a cell (so at {@code (x, y) * stride}),
 * ratio-major then scale ({@code scale_major=True}), not rounded (the v2 formula). Anchors of a map
 * are ordered by row, column, then base anchor, as the RPN's (A, H, W) outputs read after a permute
 * to (H, W, A).
 */
public final class AnchorGenerator {

  private final int stride;
  private final float[] base;

  /**
   * @param stride the level's stride in pixels (the base size)
   * @param scales anchor scales (octave multipliers of the stride)
   * @param ratios aspect ratios h / w
   */
  public AnchorGenerator(int stride, float[] scales, float[] ratios) {
    this.stride = stride;
    this.base = new float[scales.length * ratios.length * 4];
    int k = 0;
    for (float ratio : ratios) {
      float hRatio = (float) Math.sqrt(ratio);
      float wRatio = 1f / hRatio;
      for (float scale : scales) {
        float w = stride * wRatio * scale;
        float h = stride * hRatio * scale;
        base[k++] = -0.5f * w;
        base[k++] = -0.5f * h;
        base[k++] = 0.5f * w;
        base[k++] = 0.5f * h;
      }
    }
  }

  public int stride() {
    return stride;
  }

  /** Anchors per location. */
  public int perLocation() {
    return base.length / 4;
  }

  /** The anchors centred at the origin, (x1, y1, x2, y2) each. */
  public float[] baseAnchors() {
    return base.clone();
  }

  /** All anchors of a {@code height x width} feature map, (row, column, anchor) order. */
  public float[] gridAnchors(int height, int width) {
    int a = perLocation();
    float[] out = new float[height * width * a * 4];
    int k = 0;
    for (int y = 0; y < height; y++) {
      float sy = y * (float) stride;
      for (int x = 0; x < width; x++) {
        float sx = x * (float) stride;
        for (int i = 0; i < a; i++) {
          out[k++] = base[4 * i] + sx;
          out[k++] = base[4 * i + 1] + sy;
          out[k++] = base[4 * i + 2] + sx;
          out[k++] = base[4 * i + 3] + sy;
        }
      }
    }
    return out;
  }

  /**
   * Which anchors train, as mmdet's {@code valid_flags} and {@code anchor_inside_flags}: the
   * anchor's cell lies inside the image's padded extent ({@code ceil(pad / stride)} cells), and,
   * when {@code allowedBorder >= 0}, the anchor lies within the image (unpadded) extended by
   * {@code allowedBorder} pixels. {@code allowedBorder = -1} keeps every valid anchor.
   */
  public boolean[] trainable(
      int height, int width, int padHeight, int padWidth, int imageHeight, int imageWidth,
      int allowedBorder) {
    int validH = Math.min((padHeight + stride - 1) / stride, height);
    int validW = Math.min((padWidth + stride - 1) / stride, width);
    float[] anchors = gridAnchors(height, width);
    int a = perLocation();
    boolean[] out = new boolean[height * width * a];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int i = 0; i < a; i++) {
          int n = (y * width + x) * a + i;
          boolean ok = y < validH && x < validW;
          if (ok && allowedBorder >= 0) {
            ok =
                anchors[4 * n] >= -allowedBorder
                    && anchors[4 * n + 1] >= -allowedBorder
                    && anchors[4 * n + 2] < imageWidth + allowedBorder
                    && anchors[4 * n + 3] < imageHeight + allowedBorder;
          }
          out[n] = ok;
        }
      }
    }
    return out;
  }
}
