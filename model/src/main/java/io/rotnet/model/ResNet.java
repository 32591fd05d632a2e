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

/**
 * ResNet backbone in the torchvision / MMSelfSup layout: 7x7 stride-2 stem convolution, BN, ReLU,
 * 3x3 stride-2 max-pool, then four stages of residual units (basic for depth 18/34, bottleneck
 * with the stride on the 3x3 for depth 50 and up), projection shortcuts where the shape changes,
 * no classifier. Convolutions use Kaiming-normal (fan-out) initialisation, BN weight 1 and bias 0.
 *
 * <p>{@link #forward} returns six arrays in {@link Tap} order: feature1 (stem before the
 * max-pool), feature2..feature5 (the stages) and the global-average-pooled feature [N, C].
 * {@link #forwardPooled} returns only the pooled feature and frees every intermediate as soon as
 * it is consumed, which is what training and the AvgPool/kNN benchmarks need.
 */
public final class ResNet extends AbstractBlock implements Backbone {

  private static final byte VERSION = 1;

  private final ModelSpec spec;
  private final Conv2d stemConv;
  private final BatchNorm2d stemNorm;
  private final Stage[] stages = new Stage[4];

  private ResNet(ModelSpec spec) {
    this(spec, new int[] {1, 2, 2, 2}, new int[] {1, 1, 1, 1});
  }

  private ResNet(ModelSpec spec, int[] strides, int[] dilations) {
    super(VERSION);
    this.spec = spec;
    int width = spec.stemChannels();
    stemConv = addChildBlock("conv1", Layers.conv(width, 7, 2, 3));
    stemNorm = addChildBlock("bn1", new BatchNorm2d());
    int[] blocks = spec.blocksPerStage();
    int inChannels = width;
    for (int i = 0; i < 4; i++) {
      int planes = width << i;
      stages[i] =
          addChildBlock(
              "layer" + (i + 1),
              new Stage(inChannels, planes, blocks[i], strides[i], spec.bottleneck(), dilations[i]));
      inChannels = spec.stageChannels(i + 1);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The backbone a {@link ModelSpec} describes. */
  public static ResNet of(ModelSpec spec) {
    return new ResNet(spec);
  }

  /**
   * The same backbone with stage strides and dilations changed, as dense prediction uses it
   * (mmseg's ResNetV1 with {@code strides=(1, 2, 1, 1)}, {@code dilations=(1, 1, 2, 4)},
   * {@code contract_dilation=True}: output stride 8). Parameters keep their names and shapes, so
   * a checkpoint of the plain backbone loads into it.
   */
  public static ResNet dilated(ModelSpec spec, int[] strides, int[] dilations) {
    if (strides.length != 4 || dilations.length != 4) {
      throw new IllegalArgumentException("four stage strides and dilations are needed");
    }
    return new ResNet(spec, strides.clone(), dilations.clone());
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** Feature taps: NDList [feature1, feature2, feature3, feature4, feature5, avgpool]. */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray feature1 = stem(store, inputs.singletonOrThrow(), training);
    NDArray pooled = maxPool(feature1);
    NDList taps = new NDList(6);
    taps.add(feature1);
    NDArray x = stages[0].apply(store, pooled, training);
    pooled.close();
    taps.add(x);
    for (int i = 1; i < 4; i++) {
      x = stages[i].apply(store, x, training);
      taps.add(x);
    }
    taps.add(globalAveragePool(x));
    return taps;
  }

  /**
   * The global-average-pooled last-stage feature [N, C] only. Intermediates are freed as they are
   * consumed; the input stays open.
   */
  @Override
  public NDArray forwardPooled(ParameterStore store, NDArray images, boolean training) {
    NDArray x = maxPoolAndClose(stem(store, images, training));
    for (Stage stage : stages) {
      NDArray next = stage.apply(store, x, training);
      x.close();
      x = next;
    }
    NDArray pooled = globalAveragePool(x);
    x.close();
    return pooled;
  }

  /**
   * The outputs of stages 1..{@code lastStage} (feature2.. in {@link Tap} order, strides 4 to 32),
   * for detection trunks (C4: {@code lastStage = 3}; FPN: 4). The stem's output is freed; the
   * input stays open.
   */
  public NDList forwardStages(
      ParameterStore store, NDArray images, boolean training, int lastStage) {
    if (lastStage < 1 || lastStage > 4) {
      throw new IllegalArgumentException("lastStage must be 1..4, got " + lastStage);
    }
    NDArray x = maxPoolAndClose(stem(store, images, training));
    NDList outputs = new NDList(lastStage);
    for (int i = 0; i < lastStage; i++) {
      NDArray next = stages[i].apply(store, x, training);
      if (i == 0) {
        x.close();
      }
      outputs.add(next);
      x = next;
    }
    return outputs;
  }

  /**
   * Runs stage {@code stage} (1..4) alone on {@code x}, which stays open: Faster R-CNN C4 runs
   * stage 4 (res5) on pooled RoI features as its shared head.
   */
  public NDArray forwardStage(ParameterStore store, int stage, NDArray x, boolean training) {
    if (stage < 1 || stage > 4) {
      throw new IllegalArgumentException("stage must be 1..4, got " + stage);
    }
    return stages[stage - 1].apply(store, x, training);
  }

  private NDArray stem(ParameterStore store, NDArray images, boolean training) {
    NDArray conv = Layers.apply(stemConv, store, images, training);
    NDArray normed = stemNorm.apply(store, conv, training);
    conv.close();
    return Layers.reluAndClose(normed);
  }

  private static NDArray maxPool(NDArray x) {
    return x.getNDArrayInternal()
        .maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
  }

  private static NDArray maxPoolAndClose(NDArray x) {
    NDArray y = maxPool(x);
    x.close();
    return y;
  }

  /** [N, C, H, W] to [N, C]. */
  static NDArray globalAveragePool(NDArray x) {
    return x.getNDArrayInternal().globalAvgPool();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = Layers.initialize(stemConv, manager, dataType, inputShapes[0]);
    stemNorm.initialize(manager, dataType, s);
    s = maxPoolShape(s);
    for (Stage stage : stages) {
      s = Layers.initialize(stage, manager, dataType, s);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = Layers.outputShape(stemConv, inputShapes[0]);
    Shape[] out = new Shape[6];
    out[0] = s;
    s = maxPoolShape(s);
    for (int i = 0; i < 4; i++) {
      s = Layers.outputShape(stages[i], s);
      out[i + 1] = s;
    }
    out[5] = new Shape(s.get(0), s.get(1));
    return out;
  }

  private static Shape maxPoolShape(Shape s) {
    return new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1);
  }

  /** Builds a {@link ResNet}: {@code setDepth} is required, the rest has reference defaults. */
  public static final class Builder {
    private int depth;
    private int widthDivisor = 1;
    private int inputSize = ModelSpec.REFERENCE_INPUT_SIZE;

    private Builder() {}

    /** ResNet depth: 18, 34 (basic units), 50, 101, 152 (bottleneck units). */
    public Builder setDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Divides every channel count (default 1 = torchvision widths); tests use 8 or 16. */
    public Builder optWidthDivisor(int widthDivisor) {
      this.widthDivisor = widthDivisor;
      return this;
    }

    /** Input side the backbone is meant for (default 224); the network itself accepts any. */
    public Builder optInputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    public ResNet build() {
      if (depth == 0) {
        throw new IllegalArgumentException("ResNet depth is required (setDepth)");
      }
      return new ResNet(new ModelSpec(depth, widthDivisor, inputSize, 4));
    }
  }
}
