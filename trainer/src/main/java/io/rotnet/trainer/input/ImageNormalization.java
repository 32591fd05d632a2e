package io.rotnet.trainer.input;

/**
 * Per-channel normalization of 8-bit RGB: {@code (v / 255 - mean[c]) / std[c]}, precomputed as one
 * lookup table per channel so decoding costs one table read per byte.
 */
public record ImageNormalization(float[] mean, float[] std) {

  /** ImageNet statistics, as MMSelfSup normalizes RotNet inputs. */
  public static final ImageNormalization IMAGENET =
      new ImageNormalization(
          new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  /**
   * CIFAR-10's training-set statistics as the RotNet reference normalizes CIFAR inputs
   * ({@code dataloader.py}: mean [125.3, 123.0, 113.9] / 255, std [63.0, 62.1, 66.7] / 255).
   */
  public static final ImageNormalization CIFAR =
      new ImageNormalization(
          new float[] {125.3f / 255, 123.0f / 255, 113.9f / 255},
          new float[] {63.0f / 255, 62.1f / 255, 66.7f / 255});

  public ImageNormalization {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need one value per RGB channel");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** {@code table[c][v]} is the normalized value of byte {@code v} in channel {@code c}. */
  public float[][] lookupTables() {
    float[][] tables = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        tables[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
    return tables;
  }
}
