package io.rotnet.evaluator.linear;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * The training view of the linear protocols, drawn anew for every (seed, epoch, image), so a run
 * and a resumed run see the same pixels. Scaled to the backbone's input side {@code size} the way
 * the evaluation view is (224 -&gt; size, 256 -&gt; round(size * 256 / 224)); ToTensor and the
 * ImageNet Normalize end every view.
 */
public final class TrainView {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  /** The pipelines of the reference configs. */
  public enum Kind {
    /** ImageNet mhead: RandomResizedCrop, flip, ColorJitter(0.4, 0.4, 0.4), ToTensor, Lighting. */
    RESIZED_CROP_JITTER_LIGHTING,
    /** ImageNet AvgPool: RandomResizedCrop, flip. */
    RESIZED_CROP,
    /** Places205 mhead: Resize 256, CenterCrop 256, RandomCrop 224, flip. */
    CENTER_THEN_RANDOM_CROP
  }

  private final Kind kind;
  private final int size;
  private final int resize;
  private final ColorJitter jitter = new ColorJitter(0.4, 0.4, 0.4);

  public TrainView(Kind kind, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("view side must be >= 1, got " + size);
    }
    this.kind = kind;
    this.size = size;
    this.resize = (int) Math.round(size * 256.0 / 224.0);
  }

  public Kind kind() {
    return kind;
  }

  public int size() {
    return size;
  }

  public int valuesPerImage() {
    return 3 * size * size;
  }

  /** The generator of one image's draws in one epoch. */
  static SplittableRandom random(long seed, int epoch, int image) {
    long key = mix(mix(seed ^ 0x5851F42D4C957F2DL) + epoch);
    return new SplittableRandom(mix(key + image));
  }

  /** Writes the normalized CHW view of image {@code index} in {@code epoch} at {@code offset}. */
  public void apply(BufferedImage image, long seed, int epoch, int index, float[] out, int offset) {
    SplittableRandom random = random(seed, epoch, index);
    RgbPlanes view = geometry(RgbPlanes.of(image), random);
    float[] shift = {0f, 0f, 0f};
    if (kind == Kind.RESIZED_CROP_JITTER_LIGHTING) {
      jitter.apply(view, random);
      shift = Lighting.shift(random);
    }
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      int[] values = view.planes[c];
      int base = offset + c * plane;
      for (int i = 0; i < plane; i++) {
        out[base + i] = (values[i] / 255f + shift[c] - MEAN[c]) / STD[c];
      }
    }
  }

  /** The crop, resize and flip of the view, 8-bit. */
  RgbPlanes geometry(RgbPlanes rgb, SplittableRandom random) {
    RgbPlanes view;
    if (kind == Kind.CENTER_THEN_RANDOM_CROP) {
      // Resize(shorter side -> resize) then CenterCrop(resize) then RandomCrop(size): one window
      int outWidth = rgb.width <= rgb.height ? resize : (int) ((long) resize * rgb.width / rgb.height);
      int outHeight = rgb.width <= rgb.height ? (int) ((long) resize * rgb.height / rgb.width) : resize;
      int centerTop = (int) Math.rint((outHeight - resize) / 2.0);
      int centerLeft = (int) Math.rint((outWidth - resize) / 2.0);
      int top = random.nextInt(resize - size + 1);
      int left = random.nextInt(resize - size + 1);
      view = rgb.resizeRegion(0, 0, rgb.width, rgb.height, outWidth, outHeight,
          centerLeft + left, centerTop + top, size);
    } else {
      int[] box = RandomResizedCrop.box(rgb.width, rgb.height, random);
      view = rgb.resizeRegion(box[0], box[1], box[2], box[3], size, size, 0, 0, size);
    }
    if (random.nextDouble() < 0.5) {
      view.flipHorizontally();
    }
    return view;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + "@" + size;
  }
}
