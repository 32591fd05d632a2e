package io.rotnet.dense.detection.ops;

/**
 * mmdet 2.x {@code DeltaXYWHBBoxCoder}: (dx, dy, dw, dh) of a target box relative to a reference
 * box (centre offsets over width and height, log size ratios), normalised by means 0 and the
 * configured stds. Decoding clamps dw, dh to |log(16 / 1000)| and, when an image size is given,
 * clips x to [0, W] and y to [0, H].
 */
public final class DeltaXywhCoder {

  private static final float MAX_RATIO = (float) Math.abs(Math.log(16.0 / 1000.0));

  private final float[] stds;

  public DeltaXywhCoder(float[] stds) {
    if (stds.length != 4) {
      throw new IllegalArgumentException("stds must have 4 values, got " + stds.length);
    }
    this.stds = stds.clone();
  }

  /** Deltas of {@code targets} against {@code references}, box by box. */
  public float[] encode(float[] references, float[] targets) {
    int n = Boxes.count(references);
    if (Boxes.count(targets) != n) {
      throw new IllegalArgumentException("references and targets must have the same count");
    }
    float[] out = new float[n * 4];
    for (int i = 0; i < n; i++) {
      int o = 4 * i;
      float px = (references[o] + references[o + 2]) * 0.5f;
      float py = (references[o + 1] + references[o + 3]) * 0.5f;
      float pw = references[o + 2] - references[o];
      float ph = references[o + 3] - references[o + 1];
      float gx = (targets[o] + targets[o + 2]) * 0.5f;
      float gy = (targets[o + 1] + targets[o + 3]) * 0.5f;
      float gw = targets[o + 2] - targets[o];
      float gh = targets[o + 3] - targets[o + 1];
      out[o] = (gx - px) / pw / stds[0];
      out[o + 1] = (gy - py) / ph / stds[1];
      out[o + 2] = (float) Math.log(gw / pw) / stds[2];
      out[o + 3] = (float) Math.log(gh / ph) / stds[3];
    }
    return out;
  }

  /**
   * Boxes from {@code deltas} on {@code references}; {@code imageHeight <= 0} leaves them
   * unclipped.
   */
  public float[] decode(float[] references, float[] deltas, int imageHeight, int imageWidth) {
    int n = Boxes.count(references);
    float[] out = new float[n * 4];
    for (int i = 0; i < n; i++) {
      int o = 4 * i;
      float dx = deltas[o] * stds[0];
      float dy = deltas[o + 1] * stds[1];
      float dw = clamp(deltas[o + 2] * stds[2], -MAX_RATIO, MAX_RATIO);
      float dh = clamp(deltas[o + 3] * stds[3], -MAX_RATIO, MAX_RATIO);
      float px = (references[o] + references[o + 2]) * 0.5f;
      float py = (references[o + 1] + references[o + 3]) * 0.5f;
      float pw = references[o + 2] - references[o];
      float ph = references[o + 3] - references[o + 1];
      float gw = pw * (float) Math.exp(dw);
      float gh = ph * (float) Math.exp(dh);
      float gx = px + pw * dx;
      float gy = py + ph * dy;
      out[o] = gx - gw * 0.5f;
      out[o + 1] = gy - gh * 0.5f;
      out[o + 2] = gx + gw * 0.5f;
      out[o + 3] = gy + gh * 0.5f;
      if (imageHeight > 0) {
        out[o] = clamp(out[o], 0, imageWidth);
        out[o + 1] = clamp(out[o + 1], 0, imageHeight);
        out[o + 2] = clamp(out[o + 2], 0, imageWidth);
        out[o + 3] = clamp(out[o + 3], 0, imageHeight);
      }
    }
    return out;
  }

  private static float clamp(float v, float lo, float hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
