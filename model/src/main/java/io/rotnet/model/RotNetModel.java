package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Backbone plus RotNet head, assembled from a {@link ModelSpec} the way MMSelfSup assembles a
 * model from its config. {@code forward} maps images [N, 3, H, W] to rotation logits [N, R]
 * through the lean pooled path of the backbone.
 */
public final class RotNetModel extends AbstractBlock {

  private static final byte VERSION = 1;

  private final ModelSpec spec;
  private final Backbone backbone;
  private final RotNetHead head;

  private RotNetModel(ModelSpec spec) {
    super(VERSION);
    this.spec = spec;
    backbone = addChildBlock("backbone", Backbone.of(spec));
    head = addChildBlock("head", new RotNetHead(spec.numRotations()));
  }

  /** An uninitialised model; call {@code initialize} or {@link #newInitialized}. */
  public static RotNetModel create(ModelSpec spec) {
    return new RotNetModel(spec);
  }

  /**
   * A model whose parameters are freshly initialised (float32) in {@code manager}, on that
   * manager's device. Seed with {@code Engine.getInstance().setRandomSeed} for repeatable weights.
   */
  public static RotNetModel newInitialized(ModelSpec spec, NDManager manager) {
    RotNetModel model = new RotNetModel(spec);
    model.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
    return model;
  }

  public ModelSpec spec() {
    return spec;
  }

  public Backbone backbone() {
    return backbone;
  }

  public RotNetHead head() {
    return head;
  }

  /** Rotation logits [N, R]; the input stays open. */
  public NDArray logits(ParameterStore store, NDArray images, boolean training) {
    NDArray features = backbone.forwardPooled(store, images, training);
    NDArray logits = head.logits(store, features, training);
    features.close();
    return logits;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(logits(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    Shape pooled = backbone.pooledShape(inputShapes[0]);
    head.initialize(manager, dataType, pooled);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape pooled = backbone.pooledShape(inputShapes[0]);
    return head.getOutputShapes(new Shape[] {pooled});
  }

  /**
   * Number of trainable values in {@code block}: BN running statistics are state, not
   * parameters, as in PyTorch's {@code sum(p.numel() for p in model.parameters())}.
   */
  public static long countParameters(ai.djl.nn.Block block) {
    long count = 0;
    for (Parameter parameter : block.getParameters().values()) {
      if (parameter.requiresGradient()) {
        if (parameter.getArray() == null && parameter.getShape() == null) {
          throw new IllegalStateException("block is not initialised: " + parameter.getName());
        }
        count += parameter.getShape() != null ? parameter.getShape().size() : parameter.getArray().size();
      }
    }
    return count;
  }
}
