package io.rotnet.model;

/**
 * The backbone outputs the benchmarks read, in the order {@link ResNet}'s forward returns them.
 *
 * <p>feature1 is the stem after conv1 + BN + ReLU and <em>before</em> the max-pool: the
 * reference AvgPool2d(10, 10, padding 4) of the benchmarks turns its 112x112 map (224 input) into
 * a 12x12 grid, (112 + 8 - 10) / 10 + 1 = 12, whereas the 56x56 map after the max-pool would give
 * 6x6. feature2..feature5 are the outputs of the four stages (56, 28, 14, 7 at 224 px):
 * (56 - 16) / 8 + 1 = 6, (28 - 13) / 5 + 1 = 4, (14 - 8) / 3 + 1 = 3, (7 - 6) / 1 + 1 = 2.
 * AVGPOOL is the global average of feature5.
 */
public enum Tap {
  FEATURE1(0, 2, 12, 10, 10, 4),
  FEATURE2(1, 4, 6, 16, 8, 0),
  FEATURE3(2, 8, 4, 13, 5, 0),
  FEATURE4(3, 16, 3, 8, 3, 0),
  FEATURE5(4, 32, 2, 6, 1, 0),
  AVGPOOL(5, 32, 1, 0, 0, 0);

  private final int index;
  private final int downsampling;
  private final int grid;
  private final int referenceKernel;
  private final int referenceStride;
  private final int referencePadding;

  Tap(int index, int downsampling, int grid, int kernel, int stride, int padding) {
    this.index = index;
    this.downsampling = downsampling;
    this.grid = grid;
    this.referenceKernel = kernel;
    this.referenceStride = stride;
    this.referencePadding = padding;
  }

  /** Position in the backbone's output list. */
  public int index() {
    return index;
  }

  /** Lower-case name used in reports: feature1..feature5, avgpool. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Side of the pooled grid the benchmarks read (12, 6, 4, 3, 2; 1 for AVGPOOL). */
  public int grid() {
    return grid;
  }

  /** How many times smaller than the input the tap's feature map is. */
  public int downsampling() {
    return downsampling;
  }

  /** Side of this tap's feature map for a given input side (torchvision's rounding). */
  public int featureSize(int inputSize) {
    int side = inputSize;
    for (int d = 1; d < downsampling; d *= 2) {
      side = (side - 1) / 2 + 1; // every stride-2 layer pads so that it rounds up
    }
    return side;
  }

  /** Feature-map side the reference fixed pooling kernels were chosen for (224 px input). */
  public int referenceFeatureSize() {
    return featureSize(ModelSpec.REFERENCE_INPUT_SIZE);
  }

  int referenceKernel() {
    return referenceKernel;
  }

  int referenceStride() {
    return referenceStride;
  }

  int referencePadding() {
    return referencePadding;
  }

  /** Channels of this tap's feature map. */
  public int channels(ModelSpec spec) {
    return this == FEATURE1 ? spec.stemChannels() : spec.stageChannels(Math.min(index, 4));
  }

  /** Length of the flattened pooled feature: channels x grid x grid. */
  public long dims(ModelSpec spec) {
    return (long) channels(spec) * grid * grid;
  }

  /** The five spatial taps feature1..feature5. */
  public static Tap[] spatial() {
    return new Tap[] {FEATURE1, FEATURE2, FEATURE3, FEATURE4, FEATURE5};
  }
}
