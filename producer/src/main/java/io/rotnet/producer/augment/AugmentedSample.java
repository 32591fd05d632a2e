package io.rotnet.producer.augment;

/**
 * The four rotated views of one crop: {@code views[k]} is the crop turned k quarter turns
 * counter-clockwise, {@code size x size} RGB bytes each.
 */
public record AugmentedSample(CropWindow window, boolean flipped, int size, byte[][] views) {

  public static final int ROTATIONS = 4;

  public AugmentedSample {
    if (views.length != ROTATIONS) {
      throw new IllegalArgumentException("expected 4 views, got " + views.length);
    }
  }

  public byte[] view(int rotation) {
    return views[rotation];
  }
}
