package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RegionChooser;
import java.awt.Rectangle;
import java.util.SplittableRandom;

/**
 * The random choices for one sample, made as soon as the image's size is known and before its
 * pixels are decoded: the RandomResizedCrop window, then the flip, drawn in that order from the
 * sample's own random stream. As a {@link RegionChooser} it lets the decoder read only the window.
 *
 * <p>With a padding (the CIFAR view) the window is in the coordinates of the zero-padded image:
 * its top, then its left offset, each uniform in {@code 0..height + 2 * padding - size} as
 * torchvision's {@code RandomCrop.get_params} draws them, then the flip; the whole image is
 * decoded.
 */
public final class CropPlan implements RegionChooser {

  private final RandomResizedCrop crop;
  private final int padding;
  private final int size;
  private final double flipProbability;
  private final SplittableRandom random;
  private CropWindow window;
  private boolean flip;

  CropPlan(RandomResizedCrop crop, double flipProbability, SplittableRandom random) {
    this(crop, 0, 0, flipProbability, random);
  }

  /** A pad-and-crop plan: windows of {@code size} in the image padded by {@code padding}. */
  CropPlan(int padding, int size, double flipProbability, SplittableRandom random) {
    this(null, padding, size, flipProbability, random);
  }

  private CropPlan(RandomResizedCrop crop, int padding, int size, double flipProbability, SplittableRandom random) {
    this.crop = crop;
    this.padding = padding;
    this.size = size;
    this.flipProbability = flipProbability;
    this.random = random;
  }

  @Override
  public Rectangle choose(int width, int height) {
    if (window != null) {
      throw new IllegalStateException("this sample's crop was already chosen: " + window);
    }
    if (crop == null) {
      int freeRows = height + 2 * padding - size;
      int freeColumns = width + 2 * padding - size;
      if (freeRows < 0 || freeColumns < 0) {
        throw new IllegalArgumentException("a " + width + "x" + height + " image padded by " + padding
            + " is smaller than the " + size + " px crop");
      }
      int top = random.nextInt(freeRows + 1);
      int left = random.nextInt(freeColumns + 1);
      window = new CropWindow(top, left, size, size);
      flip = random.nextDouble() < flipProbability;
      return new Rectangle(0, 0, width, height);
    }
    window = crop.choose(width, height, random);
    flip = random.nextDouble() < flipProbability;
    return new Rectangle(window.left(), window.top(), window.width(), window.height());
  }

  /** Zero padding around the image the window lies in (0 for RandomResizedCrop). */
  public int padding() {
    return padding;
  }

  /** The window in the whole (padded) image's coordinates. */
  public CropWindow window() {
    if (window == null) {
      throw new IllegalStateException("the crop is chosen once the image's size is known");
    }
    return window;
  }

  public boolean flip() {
    window();
    return flip;
  }
}
