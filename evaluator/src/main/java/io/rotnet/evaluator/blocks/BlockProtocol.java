package io.rotnet.evaluator.blocks;

import java.util.Locale;

/**
 * How the classifiers on one block's frozen feature maps are trained, after the RotNet paper's
 * CIFAR-10 configs (gidariss/FeatureLearningRotNet, {@code
 * config/CIFAR10_{Linear,NonLinear}Classifier_on_RotNet_NIN4blocks_Conv2_feats.py}): batch 128,
 * SGD lr 0.1, momentum 0.9, Nesterov, weight decay 5e-4 on every classifier parameter, 100 epochs
 * with the rate looked up in {@code LUT_lr = [(35, 0.1), (70, 0.02), (85, 0.004), (100,
 * 0.0008)]}. Presets with fewer epochs keep the look-up table at the same fractions of the run.
 *
 * <p>Deviation forced by frozen features computed once: the reference re-crops and flips the
 * training images every epoch (its CIFAR training view) and pushes them through the frozen
 * network again; here each image's features are extracted once from its test view and reused
 * every epoch, so the classifiers see no augmentation.
 *
 * @param name preset name, recorded in results
 * @param epochs passes over the training features
 * @param batchSize images per step
 * @param learningRate rate of the first stage of the look-up table
 * @param momentum SGD momentum (Nesterov)
 * @param weightDecay L2 weight decay added to every gradient
 * @param seed seed of the initial weights and of the per-epoch shuffles
 */
public record BlockProtocol(
    String name, int epochs, int batchSize, double learningRate, double momentum, double weightDecay, long seed) {

  /** The reference's epochs at which each stage of the rate table ends, and the rates. */
  private static final double[] STAGE_ENDS = {35, 70, 85, 100};
  private static final double[] STAGE_RATES = {0.1, 0.02, 0.004, 0.0008};
  private static final int REFERENCE_EPOCHS = 100;

  public BlockProtocol {
    if (epochs < 1 || batchSize < 2) {
      throw new IllegalArgumentException("need epochs >= 1 and batch >= 2, got " + epochs + ", " + batchSize);
    }
    if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("invalid SGD settings");
    }
  }

  /** The reference: 100 epochs. */
  public static BlockProtocol cifar100e() {
    return new BlockProtocol("cifar-100e", REFERENCE_EPOCHS, 128, 0.1, 0.9, 5e-4, 0);
  }

  /** The reference with fewer epochs (the rate table scaled to them). */
  public static BlockProtocol cifarEpochs(int epochs) {
    return epochs == REFERENCE_EPOCHS
        ? cifar100e()
        : new BlockProtocol("cifar-" + epochs + "e", epochs, 128, 0.1, 0.9, 5e-4, 0);
  }

  public BlockProtocol withSeed(long newSeed) {
    return new BlockProtocol(name, epochs, batchSize, learningRate, momentum, weightDecay, newSeed);
  }

  /**
   * Learning rate of epoch {@code epoch} (0-based), as the reference's {@code
   * adjust_learning_rates}: the first table entry whose end lies beyond the epoch, with the ends
   * 35/70/85/100 of 100 epochs kept as fractions of {@link #epochs}.
   */
  public double rateAt(int epoch) {
    double onReferenceAxis = epoch * (double) REFERENCE_EPOCHS / epochs;
    for (int i = 0; i < STAGE_ENDS.length; i++) {
      if (STAGE_ENDS[i] > onReferenceAxis + 1e-9) {
        return learningRate * STAGE_RATES[i] / STAGE_RATES[0];
      }
    }
    return learningRate * STAGE_RATES[STAGE_RATES.length - 1] / STAGE_RATES[0];
  }

  /** Which classifier a block benchmark trains. */
  public enum Head {
    /** {@code MultLayerFC1}: BatchNorm2d(C, affine=False) on the map, flatten, Linear(C*H*W -> classes). */
    LINEAR,
    /**
     * {@code MultLayer}: flatten, Linear(D -> 200, no bias), BN1d, ReLU, Linear(200 -> 200, no
     * bias), BN1d, ReLU, Linear(200 -> classes); 200 = min(classes * 20, 2048).
     */
    NONLINEAR;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
