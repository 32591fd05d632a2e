package io.rotnet.producer.augment;

import io.rotnet.producer.decode.RegionChooser;
import java.awt.Rectangle;
import java.util.SplittableRandom;

/**
 * The random choices for one sample, made as soon as the image's size is known and before its
 * pixels are decoded: the RandomResizedCrop window, then the flip, drawn in that order from the
 * sample's own random stream. As a {@link RegionChooser} it lets the decoder read only the window.
 */
public final class CropPlan implements RegionChooser {

  private final RandomResizedCrop crop;
  private final double flipProbability;
  private final SplittableRandom random;
  private CropWindow window;
  private boolean flip;

  CropPlan(RandomResizedCrop crop, double flipProbability, SplittableRandom random) {
    this.crop = crop;
    this.flipProbability = flipProbability;
    this.random = random;
  }

  @Override
  public Rectangle choose(int width, int height) {
    if (window != null) {
      throw new IllegalStateException("this sample's crop was already chosen: " + window);
    }
    window = crop.choose(width, height, random);
    flip = random.nextDouble() < flipProbability;
    return new Rectangle(window.left(), window.top(), window.width(), window.height());
  }

  /** The window in the whole image's coordinates. */
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
