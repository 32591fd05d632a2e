package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A feature extractor the RotNet head sits on: {@code forward} returns the backbone's taps (the
 * family's own list, ending with the global-average-pooled feature), {@link #forwardPooled} only
 * that pooled feature, freeing intermediates as it goes.
 */
public interface Backbone extends Block {

  ModelSpec spec();

  /** The global-average-pooled last feature [N, C]; the input stays open. */
  NDArray forwardPooled(ParameterStore store, NDArray images, boolean training);

  /** Shape of {@link #forwardPooled}'s output for an input shape. */
  default Shape pooledShape(Shape input) {
    Shape[] outputs = getOutputShapes(new Shape[] {input});
    return outputs[outputs.length - 1];
  }

  /** The backbone a spec describes. */
  static Backbone of(ModelSpec spec) {
    return spec.isNin() ? NetworkInNetwork.of(spec) : ResNet.of(spec);
  }
}
