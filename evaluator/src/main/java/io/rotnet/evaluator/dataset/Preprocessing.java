package io.rotnet.evaluator.dataset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The evaluation view of an image, as torchvision computes it: {@code Resize(resize)} (shorter
 * side to {@code resize}, longer side {@code int(resize * long / short)}, antialiased bilinear
 * like PIL), {@code CenterCrop(crop)} (offset {@code round((side - crop) / 2)}), {@code ToTensor}
 * and {@code Normalize} with the ImageNet mean and std. Gray images become three equal channels;
 * transparent pixels are composited on white.
 *
 * <p>With {@code squash}, the centre crop is replaced by a second resize to {@code crop x crop}
 * ({@code Resize(resize)} then {@code Resize((crop, crop))}): the whole image, squashed to a
 * square. It is the view MMSelfSup's VOC07 SVM configs extract features with ({@code
 * Resize(256), Resize((224, 224))}), see {@link #forDataset}.
 *
 * @param resize shorter side after resizing (256 in the reference)
 * @param crop side of the centre crop (or of the squashed square), the network's input side (224
 *     in the reference)
 * @param squash whether the second step squashes the whole image instead of cropping its centre
 */
public record Preprocessing(int resize, int crop, float[] mean, float[] std, boolean squash) {

  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  public Preprocessing {
    if (crop < 1 || resize < crop) {
      throw new IllegalArgumentException("need 1 <= crop <= resize, got resize " + resize + ", crop " + crop);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need three channels");
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** A centre-crop view. */
  public Preprocessing(int resize, int crop, float[] mean, float[] std) {
    this(resize, crop, mean, std, false);
  }

  /**
   * The RotNet paper's CIFAR test view ({@code dataloader.py}): the 32 px image as it is, CIFAR-10
   * mean [125.3, 123.0, 113.9] / 255 and std [63.0, 62.1, 66.7] / 255.
   */
  public static Preprocessing cifar() {
    return new Preprocessing(32, 32, new float[] {125.3f / 255, 123.0f / 255, 113.9f / 255},
        new float[] {63.0f / 255, 62.1f / 255, 66.7f / 255});
  }

  /** Resize 256 / crop 224, the reference test view. */
  public static Preprocessing reference() {
    return forInputSize(224);
  }

  /**
   * The reference view scaled to another network input: crop = input, resize = round(input *
   * 256 / 224) (e.g. 32 -&gt; 37, 96 -&gt; 110).
   */
  public static Preprocessing forInputSize(int inputSize) {
    int resize = (int) Math.round(inputSize * 256.0 / 224.0);
    return new Preprocessing(resize, inputSize, IMAGENET_MEAN, IMAGENET_STD);
  }

  /**
   * The reference's view of a dataset format, scaled to the network input like {@link
   * #forInputSize}: VOC07 squashes the whole image ({@code Resize(256), Resize((224, 224))}, MMSelfSup
   * 0.x {@code configs/benchmarks/classification/svm_voc07.py}); the ImageFolder and IDX sets keep
   * the resize 256 / centre crop 224 test view.
   */
  public static Preprocessing forDataset(EvalDataset dataset, int inputSize) {
    Preprocessing view = forInputSize(inputSize);
    return dataset.squashedView() ? view.squashed() : view;
  }

  /** The same resize and side, squashing instead of cropping. */
  public Preprocessing squashed() {
    return new Preprocessing(resize, crop, mean, std, true);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** Floats per preprocessed image: 3 x crop x crop. */
  public int valuesPerImage() {
    return 3 * crop * crop;
  }

  /** Writes the CHW view of {@code image} into {@code out} at {@code offset}. */
  public void apply(BufferedImage image, float[] out, int offset) {
    BufferedImage rgb = asOpaqueRgb(image);
    int width = rgb.getWidth();
    int height = rgb.getHeight();
    int newWidth;
    int newHeight;
    if (width <= height) {
      newWidth = resize;
      newHeight = (int) ((long) resize * height / width);
    } else {
      newHeight = resize;
      newWidth = (int) ((long) resize * width / height);
    }
    int[] pixels = rgb.getRGB(0, 0, width, height, null, 0, width);
    float[] plane = new float[width * height];
    float[] result = new float[crop * crop];
    for (int channel = 0; channel < 3; channel++) {
      int shift = 16 - 8 * channel;
      for (int i = 0; i < plane.length; i++) {
        plane[i] = (pixels[i] >> shift) & 0xff;
      }
      if (squash) {
        // two PIL resizes, each ending in 8-bit values: shorter side to resize, then the square
        float[] resized = resize(plane, width, height, newWidth, newHeight, 0, 0, newWidth, newHeight);
        System.arraycopy(resize(resized, newWidth, newHeight, crop, crop, 0, 0, crop, crop), 0, result, 0, result.length);
      } else {
        int top = (int) Math.rint((newHeight - crop) / 2.0);
        int left = (int) Math.rint((newWidth - crop) / 2.0);
        System.arraycopy(resize(plane, width, height, newWidth, newHeight, left, top, crop, crop), 0, result, 0, result.length);
      }
      float scale = 1f / (255f * std[channel]);
      float shiftValue = mean[channel] / std[channel];
      int base = offset + channel * crop * crop;
      for (int i = 0; i < result.length; i++) {
        out[base + i] = result[i] * scale - shiftValue;
      }
    }
  }

  /**
   * PIL's antialiased bilinear resize of one 8-bit plane to newWidth x newHeight, keeping the
   * window [left, left + outWidth) x [top, top + outHeight): horizontal pass, 8-bit rounding (PIL
   * keeps 8-bit values between its two passes), vertical pass, 8-bit rounding.
   */
  private static float[] resize(
      float[] plane, int width, int height, int newWidth, int newHeight, int left, int top, int outWidth, int outHeight) {
    float[] rows = new float[height * outWidth];
    new Resampler(width, newWidth, left, outWidth).rows(plane, height, rows);
    roundAndClamp(rows);
    float[] result = new float[outWidth * outHeight];
    new Resampler(height, newHeight, top, outHeight).columns(rows, outWidth, result);
    roundAndClamp(result);
    return result;
  }

  private static void roundAndClamp(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.min(255f, Math.max(0f, Math.round(values[i])));
    }
  }

  /** Opaque sRGB pixels; transparency composited on white, gray and palette images expanded. */
  static BufferedImage asOpaqueRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Preprocessing p
        && p.squash == squash
        && p.resize == resize
        && p.crop == crop
        && java.util.Arrays.equals(p.mean, mean)
        && java.util.Arrays.equals(p.std, std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * resize + crop) + java.util.Arrays.hashCode(mean) * 17 + java.util.Arrays.hashCode(std)
        + (squash ? 1 : 0);
  }

  /** A stable text form for cache keys. */
  public String describe() {
    return "resize" + resize + (squash ? "-squash" : "-crop") + crop + "-mean" + java.util.Arrays.toString(mean) + "-std"
        + java.util.Arrays.toString(std);
  }
}
