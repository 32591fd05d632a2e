package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The network-in-network of the RotNet paper's CIFAR-10 experiments (gidariss/FeatureLearningRotNet,
 * {@code architectures/NetworkInNetwork.py}), without its classifier: blocks of three
 * conv-BN-ReLU units (bias-free convolutions, stride 1, "same" padding).
 *
 * <ul>
 *   <li>block1: 5x5 3 -&gt; 192, 1x1 192 -&gt; 160, 1x1 160 -&gt; 96, MaxPool(3, 2, pad 1);
 *   <li>block2: 5x5 96 -&gt; 192, 1x1 192 -&gt; 192, 1x1 192 -&gt; 192, AvgPool(3, 2, pad 1);
 *   <li>block3: 3x3 192 -&gt; 192, two 1x1 192 -&gt; 192, AvgPool(3, 2, pad 1) when there are more
 *       than three blocks ({@code use_avg_on_conv3});
 *   <li>block4 (and block5): 3x3 192 -&gt; 192, two 1x1 192 -&gt; 192, no pooling.
 * </ul>
 *
 * Convolutions are initialised N(0, 2 / (k * k * out)) (the reference's fan-out rule), BN weight 1
 * and bias 0. Avg pools count the zero padding, as PyTorch's default. At 32 px the taps are
 * block1 96x16x16, block2 192x8x8, block3 192x4x4, block4 192x4x4. A width divisor divides the
 * three channel counts 192/160/96 (a value-level reduction for CPU presets).
 *
 * <p>{@link #forward} returns the block outputs block1..blockN, then their global average pool
 * [N, C] (the reference's {@code GlobalAveragePooling} that its classifier reads).
 */
public final class NetworkInNetwork extends AbstractBlock implements Backbone {

  /** Channels of the 5x5 and 3x3 convolutions: 192 in the reference. */
  public static final int REFERENCE_WIDTH = 192;

  static final int MAX_WIDTH_DIVISOR = 32;
  private static final int[] REFERENCE_CHANNELS = {192, 160, 96};
  private static final byte VERSION = 1;

  private final ModelSpec spec;
  private final List<List<Unit>> blocks = new ArrayList<>();

  private NetworkInNetwork(ModelSpec spec) {
    super(VERSION);
    this.spec = spec;
    int wide = REFERENCE_CHANNELS[0] / spec.widthDivisor();
    int middle = REFERENCE_CHANNELS[1] / spec.widthDivisor();
    int narrow = REFERENCE_CHANNELS[2] / spec.widthDivisor();
    for (int b = 1; b <= spec.depth(); b++) {
      List<Unit> units = new ArrayList<>(3);
      String prefix = "block" + b + "_conv";
      if (b == 1) {
        units.add(addUnit(prefix + 1, wide, 5));
        units.add(addUnit(prefix + 2, middle, 1));
        units.add(addUnit(prefix + 3, narrow, 1));
      } else {
        units.add(addUnit(prefix + 1, wide, b == 2 ? 5 : 3));
        units.add(addUnit(prefix + 2, wide, 1));
        units.add(addUnit(prefix + 3, wide, 1));
      }
      blocks.add(units);
    }
  }

  public static NetworkInNetwork of(ModelSpec spec) {
    if (!spec.isNin()) {
      throw new IllegalArgumentException("not a network-in-network spec: " + spec.architecture());
    }
    return new NetworkInNetwork(spec);
  }

  static void requireBlocks(int blocks) {
    if (blocks < 3 || blocks > 5) {
      throw new IllegalArgumentException("a network-in-network has 3 to 5 blocks, got " + blocks);
    }
  }

  /** Output channels of block {@code block} (1-based): 96 for block1, 192 after, at full width. */
  public static int blockChannels(ModelSpec spec, int block) {
    return (block == 1 ? REFERENCE_CHANNELS[2] : REFERENCE_CHANNELS[0]) / spec.widthDivisor();
  }

  /** Side of block {@code block}'s output map for an input side. */
  public static int blockSide(ModelSpec spec, int block, int inputSize) {
    int side = inputSize;
    for (int b = 1; b <= block; b++) {
      if (pools(spec, b)) {
        side = (side + 2 - 3) / 2 + 1;
      }
    }
    return side;
  }

  private static boolean pools(ModelSpec spec, int block) {
    return block <= 2 || (block == 3 && spec.depth() > 3);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  public int blockCount() {
    return blocks.size();
  }

  private Unit addUnit(String name, int filters, int kernel) {
    Conv2d conv = addChildBlock(name, Layers.conv(filters, kernel, 1, (kernel - 1) / 2));
    BatchNorm2d norm = addChildBlock(name + "_bn", new BatchNorm2d());
    return new Unit(conv, norm);
  }

  /** block1..blockN, then the global average of the last block [N, C]. */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList taps = new NDList(blocks.size() + 1);
    NDArray x = inputs.singletonOrThrow();
    for (int b = 1; b <= blocks.size(); b++) {
      x = block(store, x, b, training, false); // every block's output is a tap
      taps.add(x);
    }
    taps.add(ResNet.globalAveragePool(x));
    return taps;
  }

  @Override
  public NDArray forwardPooled(ParameterStore store, NDArray images, boolean training) {
    NDArray x = images;
    for (int b = 1; b <= blocks.size(); b++) {
      x = block(store, x, b, training, b > 1);
    }
    NDArray pooled = ResNet.globalAveragePool(x);
    x.close();
    return pooled;
  }

  /** Runs block {@code b} (1-based); frees its input when {@code closeInput}. */
  private NDArray block(ParameterStore store, NDArray input, int b, boolean training, boolean closeInput) {
    NDArray x = input;
    boolean owned = closeInput;
    for (Unit unit : blocks.get(b - 1)) {
      NDArray conv = Layers.apply(unit.conv, store, x, training);
      if (owned) {
        x.close();
      }
      NDArray normed = unit.norm.apply(store, conv, training);
      conv.close();
      x = Layers.reluAndClose(normed);
      owned = true;
    }
    if (!pools(spec, b)) {
      return x;
    }
    NDArray pooled = b == 1
        ? x.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false)
        : x.getNDArrayInternal().avgPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false, true);
    x.close();
    return pooled;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    for (List<Unit> units : blocks) {
      for (Unit unit : units) {
        s = Layers.initialize(unit.conv, manager, dataType, s);
        unit.norm.initialize(manager, dataType, s);
      }
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape input = inputShapes[0];
    long n = input.get(0);
    Shape[] out = new Shape[blocks.size() + 1];
    for (int b = 1; b <= blocks.size(); b++) {
      long side = blockSide(spec, b, Math.toIntExact(input.get(2)));
      out[b - 1] = new Shape(n, blockChannels(spec, b), side, side);
    }
    out[blocks.size()] = new Shape(n, blockChannels(spec, blocks.size()));
    return out;
  }

  private record Unit(Conv2d conv, BatchNorm2d norm) {}
}
