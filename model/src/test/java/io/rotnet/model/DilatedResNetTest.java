package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class DilatedResNetTest {

  @Test
  void d8KeepsOutputStrideEightAndLoadsThePlainBackbonesParameters() throws Exception {
    ModelSpec spec = new ModelSpec(50, 16, 64, 4);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet plain = ResNet.of(spec);
      plain.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      ResNet dilated = ResNet.dilated(spec, new int[] {1, 2, 1, 1}, new int[] {1, 1, 2, 4});
      dilated.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      assertThat(dilated.getParameters().keys()).isEqualTo(plain.getParameters().keys());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      plain.saveParameters(new DataOutputStream(bytes));
      dilated.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

      var x = manager.randomNormal(new Shape(1, 3, 64, 64));
      NDList taps = dilated.forward(new ParameterStore(manager, false), new NDList(x), false);
      assertThat(taps.get(3).getShape()).isEqualTo(new Shape(1, spec.stageChannels(3), 8, 8));
      assertThat(taps.get(4).getShape()).isEqualTo(new Shape(1, spec.stageChannels(4), 8, 8));
      assertThat(dilated.getOutputShapes(new Shape[] {new Shape(1, 3, 64, 64)})[4]).isEqualTo(taps.get(4).getShape());
      NDList plainTaps = plain.forward(new ParameterStore(manager, false), new NDList(x), false);
      // the stages before the dilation compute the same thing with the same weights
      assertThat(taps.get(2).toFloatArray()).isEqualTo(plainTaps.get(2).toFloatArray());
      assertThat(plainTaps.get(4).getShape()).isEqualTo(new Shape(1, spec.stageChannels(4), 2, 2));
    }
  }
}
