package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The stage outputs detection trunks read, and a stage run alone (C4's res5 head). */
class ResNetStagesTest {

  @Test
  void stageOutputsAreTheTapsAndAStageRunsAlone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet net = ResNet.builder().setDepth(50).optWidthDivisor(16).build();
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(new Shape(1, 3, 64, 96));
      NDList taps = net.forward(store, new NDList(x), false);
      NDList stages = net.forwardStages(store, x, false, 4);
      assertThat(stages).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(stages.get(i).getShape()).isEqualTo(taps.get(i + 1).getShape());
        assertThat(stages.get(i).toFloatArray())
            .containsExactly(taps.get(i + 1).toFloatArray(), within(1e-5f));
      }
      assertThat(net.forwardStages(store, x, false, 3).get(2).getShape())
          .isEqualTo(new Shape(1, net.spec().stageChannels(3), 4, 6));
      NDArray res5 = net.forwardStage(store, 4, stages.get(2), false);
      assertThat(res5.toFloatArray()).containsExactly(stages.get(3).toFloatArray(), within(1e-5f));
      NDArray rois = manager.randomNormal(new Shape(5, net.spec().stageChannels(3), 14, 14));
      assertThat(net.forwardStage(store, 4, rois, false).getShape())
          .isEqualTo(new Shape(5, net.spec().stageChannels(4), 7, 7));
    }
  }
}
