package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation over the channel axis of NCHW activations with PyTorch's defaults
 * (momentum 0.1, eps 1e-5, weight 1, bias 0). Same parameters (and parameter types) as DJL's
 * {@code BatchNorm}, but it calls the engine's batch norm directly: DJL's block routes a channel
 * axis of 1 through a sub-manager and two axis swaps on every call on the PyTorch engine.
 */
public final class BatchNorm2d extends AbstractBlock {

  private static final byte VERSION = 1;
  /** DJL states momentum as the running-average weight of the old value (PyTorch's 0.1). */
  private static final float DJL_MOMENTUM = 0.9f;

  private static final float EPSILON = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;

  public BatchNorm2d() {
    super(VERSION);
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    runningMean =
        addParameter(
            Parameter.builder()
                .setName("runningMean")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false)
                .build());
    runningVar =
        addParameter(
            Parameter.builder()
                .setName("runningVar")
                .setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false)
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(store, inputs.singletonOrThrow(), training));
  }

  /** Normalises {@code x}; in training the running statistics are updated in place. */
  NDArray apply(ParameterStore store, NDArray x, boolean training) {
    var device = x.getDevice();
    return x.getNDArrayInternal()
        .batchNorm(
            x,
            store.getValue(runningMean, device, training),
            store.getValue(runningVar, device, training),
            store.getValue(gamma, device, training),
            store.getValue(beta, device, training),
            channelAxisArgument(x),
            DJL_MOMENTUM,
            EPSILON,
            training)
        .singletonOrThrow();
  }

  /**
   * The PyTorch engine normalises over dimension 1 natively and treats -1 as "no axis swap"; other
   * engines take the channel axis itself.
   */
  private static int channelAxisArgument(NDArray x) {
    return "PyTorch".equals(x.getManager().getEngine().getEngineName()) ? -1 : 1;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    Shape channels = new Shape(inputShapes[0].get(1));
    gamma.setShape(channels);
    beta.setShape(channels);
    runningMean.setShape(channels);
    runningVar.setShape(channels);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
