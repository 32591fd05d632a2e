package io.rotnet.model;

import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a RotNet model is made of: backbone depth, width, training input side and the number of
 * rotation classes. The reference configuration is {@link #resnet50()}; tests shrink the width
 * (a width divisor of 8 gives an 8-channel stem) and the input side to train a real network fast.
 *
 * @param depth ResNet depth: 18 or 34 (basic blocks), 50, 101 or 152 (bottleneck blocks)
 * @param widthDivisor divides every channel count of the torchvision layout (1 = reference)
 * @param inputSize square input side in pixels the model is trained on
 * @param numRotations number of rotation classes the head predicts (4 for 0/90/180/270)
 */
public record ModelSpec(int depth, int widthDivisor, int inputSize, int numRotations, Family family) {

  /** Backbone families: torchvision's ResNet, or the reference RotNet's network-in-network. */
  public enum Family {
    RESNET,
    /** {@code depth} counts conv blocks (3 to 5); see {@link NetworkInNetwork}. */
    NIN
  }

  /** Input side of the reference pretraining and of the benchmarks' fixed pooling kernels. */
  public static final int REFERENCE_INPUT_SIZE = 224;

  /** The backbone divides the input side by 32, so anything smaller has no last-stage pixel. */
  public static final int MIN_INPUT_SIZE = 32;

  private static final int REFERENCE_WIDTH = 64;
  private static final Pattern NAME = Pattern.compile("resnet(\\d+)(?:-w(\\d+))?");
  private static final Pattern NIN_NAME = Pattern.compile("nin(\\d+)(?:-w(\\d+))?");

  /** A ResNet spec. */
  public ModelSpec(int depth, int widthDivisor, int inputSize, int numRotations) {
    this(depth, widthDivisor, inputSize, numRotations, Family.RESNET);
  }

  public ModelSpec {
    java.util.Objects.requireNonNull(family, "family");
    int maxDivisor = family == Family.NIN ? NetworkInNetwork.MAX_WIDTH_DIVISOR : REFERENCE_WIDTH;
    if (family == Family.NIN) {
      NetworkInNetwork.requireBlocks(depth);
    } else {
      stageBlocks(depth); // validates the depth
    }
    if (widthDivisor < 1 || widthDivisor > maxDivisor || Integer.bitCount(widthDivisor) != 1) {
      throw new IllegalArgumentException(
          "widthDivisor must be a power of two between 1 and " + maxDivisor + ", got " + widthDivisor);
    }
    if (inputSize < MIN_INPUT_SIZE) {
      throw new IllegalArgumentException(
          "inputSize must be at least " + MIN_INPUT_SIZE + " px, got " + inputSize);
    }
    if (numRotations < 2) {
      throw new IllegalArgumentException("numRotations must be at least 2, got " + numRotations);
    }
  }

  /** ResNet-50 at 224 px with four rotation classes: the reference RotNet configuration. */
  public static ModelSpec resnet50() {
    return new ModelSpec(50, 1, REFERENCE_INPUT_SIZE, 4);
  }

  /**
   * Parses an architecture name as written by {@link #architecture()} ({@code resnet50}, {@code
   * resnet18-w8}) into a spec with four rotations.
   */
  public static ModelSpec of(String architecture, int inputSize) {
    String name = architecture.trim().toLowerCase(Locale.ROOT);
    Matcher nin = NIN_NAME.matcher(name);
    if (nin.matches()) {
      int blocks = Integer.parseInt(nin.group(1));
      int width = nin.group(2) == null ? NetworkInNetwork.REFERENCE_WIDTH : Integer.parseInt(nin.group(2));
      if (width < 1 || NetworkInNetwork.REFERENCE_WIDTH % width != 0) {
        throw new IllegalArgumentException("block width must divide 192 in '" + architecture + "'");
      }
      return new ModelSpec(blocks, NetworkInNetwork.REFERENCE_WIDTH / width, inputSize, 4, Family.NIN);
    }
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "unknown architecture '" + architecture + "' (expected e.g. resnet50, resnet18-w8 or nin4)");
    }
    int depth = Integer.parseInt(m.group(1));
    int width = m.group(2) == null ? REFERENCE_WIDTH : Integer.parseInt(m.group(2));
    if (width < 1 || REFERENCE_WIDTH % width != 0) {
      throw new IllegalArgumentException("stem width must divide 64 in '" + architecture + "'");
    }
    return new ModelSpec(depth, REFERENCE_WIDTH / width, inputSize, 4);
  }

  /** {@code resnet50} for the reference width, {@code resnet18-w8} for an 8-channel stem. */
  public String architecture() {
    if (family == Family.NIN) {
      String nin = "nin" + depth;
      return widthDivisor == 1 ? nin : nin + "-w" + NetworkInNetwork.REFERENCE_WIDTH / widthDivisor;
    }
    String base = "resnet" + depth;
    return widthDivisor == 1 ? base : base + "-w" + stemChannels();
  }

  /** Same parameters (depth, width, classes); the input side does not change any shape. */
  public boolean hasSameParametersAs(ModelSpec other) {
    return family == other.family
        && depth == other.depth
        && widthDivisor == other.widthDivisor
        && numRotations == other.numRotations;
  }

  public ModelSpec withInputSize(int newInputSize) {
    return new ModelSpec(depth, widthDivisor, newInputSize, numRotations, family);
  }

  public ModelSpec withWidthDivisor(int newWidthDivisor) {
    return new ModelSpec(depth, newWidthDivisor, inputSize, numRotations, family);
  }

  /** True for depth 50 and above, where stages use 1x1-3x3-1x1 bottleneck blocks. */
  public boolean bottleneck() {
    return depth >= 50;
  }

  /** Channels of the stem (feature1): 64 at the reference width. */
  public int stemChannels() {
    return REFERENCE_WIDTH / widthDivisor;
  }

  /** Output channels of stage {@code stage} (1..4): 256/512/1024/2048 for ResNet-50. */
  public int stageChannels(int stage) {
    if (stage < 1 || stage > 4) {
      throw new IllegalArgumentException("stage must be 1..4, got " + stage);
    }
    return stemChannels() * (1 << (stage - 1)) * (bottleneck() ? 4 : 1);
  }

  /** Channels of the global-average-pooled feature the head reads. */
  public int featureChannels() {
    return family == Family.NIN ? NetworkInNetwork.blockChannels(this, depth) : stageChannels(4);
  }

  public boolean isNin() {
    return family == Family.NIN;
  }

  /** Residual blocks per stage. */
  public int[] blocksPerStage() {
    return stageBlocks(depth);
  }

  /** NCHW shape of a batch of RGB inputs. */
  public Shape inputShape(long batchSize) {
    return new Shape(batchSize, 3, inputSize, inputSize);
  }

  private static int[] stageBlocks(int depth) {
    switch (depth) {
      case 18:
        return new int[] {2, 2, 2, 2};
      case 34:
      case 50:
        return new int[] {3, 4, 6, 3};
      case 101:
        return new int[] {3, 4, 23, 3};
      case 152:
        return new int[] {3, 8, 36, 3};
      default:
        throw new IllegalArgumentException(
            "depth must be one of 18, 34, 50, 101, 152, got " + depth);
    }
  }
}
