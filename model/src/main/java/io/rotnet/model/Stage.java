package io.rotnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** One ResNet stage: residual units at one resolution, the first may downsample and project. */
final class Stage extends AbstractBlock {

  private static final byte VERSION = 1;

  private final List<ResidualBlock> units = new ArrayList<>();

  /**
   * @param inChannels channels entering the stage
   * @param planes width of the stage (the bottleneck's inner width)
   * @param blocks number of residual units
   * @param stride stride of the first unit
   * @param bottleneck bottleneck (x4 expansion) or basic units
   */
  Stage(int inChannels, int planes, int blocks, int stride, boolean bottleneck) {
    this(inChannels, planes, blocks, stride, bottleneck, 1);
  }

  /**
   * A dilated stage as mmseg's {@code ResLayer} with {@code contract_dilation=True}: the first
   * unit uses half the dilation (when it is above 1), the others the full one.
   */
  Stage(int inChannels, int planes, int blocks, int stride, boolean bottleneck, int dilation) {
    super(VERSION);
    int outChannels = bottleneck ? planes * BottleneckBlock.EXPANSION : planes;
    for (int i = 0; i < blocks; i++) {
      int unitStride = i == 0 ? stride : 1;
      int unitDilation = i == 0 && dilation > 1 ? dilation / 2 : dilation;
      boolean project = i == 0 && (stride != 1 || inChannels != outChannels);
      ResidualBlock unit =
          bottleneck
              ? new BottleneckBlock(planes, unitStride, unitDilation, project)
              : new BasicBlock(planes, unitStride, unitDilation, project);
      units.add(addChildBlock("block" + i, unit));
    }
  }

  /** Runs every unit, freeing each intermediate output; {@code x} stays open. */
  NDArray apply(ParameterStore store, NDArray x, boolean training) {
    NDArray out = units.get(0).apply(store, x, training);
    for (int i = 1; i < units.size(); i++) {
      NDArray next = units.get(i).apply(store, out, training);
      out.close();
      out = next;
    }
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(store, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    for (ResidualBlock unit : units) {
      s = Layers.initialize(unit, manager, dataType, s);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    for (ResidualBlock unit : units) {
      s = Layers.outputShape(unit, s);
    }
    return new Shape[] {s};
  }
}
