package io.rotnet.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MomentumSgdTest {

  private NDManager manager;
  private Linear block;
  private Parameter weight;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager("PyTorch");
    block = Linear.builder().setUnits(3).build();
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    weight = block.getParameters().get("weight");
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private MomentumSgd optimizer(NDManager stateManager) {
    return MomentumSgd.builder()
        .setParameters(block.getParameters())
        .setStateManager(stateManager)
        .optMomentum(0.9)
        .optWeightDecay(1e-4)
        .build();
  }

  private static float[] random(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private NDArray trainable(float[] values) {
    NDArray array = manager.create(values, new Shape(3, 4));
    array.setRequiresGradient(true);
    return array;
  }

  @Test
  void updatesExactlyLikeTorchSgd() {
    Random random = new Random(7);
    float[] w = random(random, 12);
    float[] buf = new float[12];
    NDArray array = trainable(w.clone());
    try (MomentumSgd sgd = optimizer(manager.newSubManager())) {
      float[] rates = {0.1f, 0.05f, 0.2f};
      for (float lr : rates) {
        float[] g = random(random, 12);
        sgd.setLearningRate(lr);
        sgd.update(weight.getId(), array, manager.create(g, new Shape(3, 4)));
        for (int i = 0; i < 12; i++) {
          float d = g[i] + 1e-4f * w[i];
          buf[i] = 0.9f * buf[i] + d;
          w[i] = w[i] - lr * buf[i];
        }
        assertThat(array.toFloatArray()).containsExactly(w);
      }
    }
  }

  @Test
  void nesterovUpdatesLikeTorchSgdWithNesterov() {
    Random random = new Random(9);
    float[] w = random(random, 12);
    float[] buf = new float[12];
    NDArray array = trainable(w.clone());
    try (MomentumSgd sgd = MomentumSgd.builder().setParameters(block.getParameters())
        .setStateManager(manager.newSubManager()).optMomentum(0.9).optWeightDecay(5e-4).optNesterov(true).build()) {
      for (float lr : new float[] {0.1f, 0.02f}) {
        float[] g = random(random, 12);
        sgd.setLearningRate(lr);
        sgd.update(weight.getId(), array, manager.create(g, new Shape(3, 4)));
        for (int i = 0; i < 12; i++) {
          // torch.optim.SGD(nesterov=True): d = g + wd * w; buf = m * buf + d; w -= lr * (d + m * buf)
          float d = g[i] + 5e-4f * w[i];
          buf[i] = 0.9f * buf[i] + d;
          w[i] = w[i] - (0.9f * buf[i] + d) * lr;
        }
        assertThat(array.toFloatArray()).containsExactly(w);
      }
    }
  }

  @Test
  void savedStateContinuesBitIdentically() throws Exception {
    Random random = new Random(11);
    float[] start = random(random, 12);
    float[][] grads = {random(random, 12), random(random, 12), random(random, 12)};
    NDArray original = trainable(start.clone());
    try (MomentumSgd first = optimizer(manager.newSubManager());
        MomentumSgd second = optimizer(manager.newSubManager())) {
      first.setLearningRate(0.1f);
      first.update(weight.getId(), original, manager.create(grads[0], new Shape(3, 4)));

      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      first.state().write(saved);
      MomentumState read = MomentumState.read(new ByteArrayInputStream(saved.toByteArray()));
      assertThat(read).isEqualTo(first.state());
      second.restore(read);
      assertThat(second.state()).isEqualTo(first.state());

      NDArray copy = trainable(original.toFloatArray());
      for (int step = 1; step < 3; step++) {
        first.setLearningRate(0.05f);
        second.setLearningRate(0.05f);
        first.update(weight.getId(), original, manager.create(grads[step], new Shape(3, 4)));
        second.update(weight.getId(), copy, manager.create(grads[step], new Shape(3, 4)));
      }
      assertThat(copy.toFloatArray()).containsExactly(original.toFloatArray());
    }
  }

  @Test
  void leavesTheGradientUntouched() {
    Random random = new Random(3);
    float[] g = random(random, 12);
    NDArray array = trainable(random(random, 12));
    NDArray grad = manager.create(g.clone(), new Shape(3, 4));
    try (MomentumSgd sgd = optimizer(manager.newSubManager())) {
      sgd.update(weight.getId(), array, grad);
      sgd.update(weight.getId(), array, grad);
    }
    assertThat(grad.toFloatArray()).containsExactly(g);
  }

  @Test
  void twoCopiesFromTheSameStateStayBitIdentical() {
    Random random = new Random(5);
    float[] start = random(random, 12);
    try (MomentumSgd first = optimizer(manager.newSubManager());
        MomentumSgd second = optimizer(manager.newSubManager())) {
      NDArray a = trainable(start.clone());
      NDArray b = trainable(start.clone());
      for (int step = 0; step < 3; step++) {
        NDArray grad = manager.create(random(random, 12), new Shape(3, 4));
        first.update(weight.getId(), a, grad);
        second.update(weight.getId(), b, grad);
      }
      assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
      assertThat(second.state()).isEqualTo(first.state());
    }
  }

  /**
   * DJL's parameter server reduces the devices' gradients onto the first one and hands that one
   * array to the update of every replica in turn; each replica has its own optimizer buffers here,
   * as each device has its own in {@link MomentumSgd}.
   */
  @Test
  void aSimulatedMultiDeviceStepLeavesEveryReplicaEqual() {
    int devices = 4;
    Random random = new Random(9);
    float[] start = random(random, 12);
    MomentumSgd[] optimizers = new MomentumSgd[devices];
    NDArray[] replicas = new NDArray[devices];
    for (int d = 0; d < devices; d++) {
      optimizers[d] = optimizer(manager.newSubManager());
      replicas[d] = trainable(start.clone());
    }
    try {
      for (int step = 0; step < 3; step++) {
        NDArray reduced = manager.create(random(random, 12), new Shape(3, 4));
        for (int d = 0; d < devices; d++) {
          optimizers[d].update(weight.getId(), replicas[d], reduced);
        }
      }
      for (int d = 1; d < devices; d++) {
        assertThat(replicas[d].toFloatArray()).as("replica " + d).containsExactly(replicas[0].toFloatArray());
        assertThat(optimizers[d].state()).as("momentum " + d).isEqualTo(optimizers[0].state());
      }
    } finally {
      for (MomentumSgd sgd : optimizers) {
        sgd.close();
      }
    }
  }

  @Test
  void refusesStateOfAnotherModel() {
    MomentumState foreign =
        new MomentumState(
            Map.of("05Linear_elsewhere", new MomentumState.Buffer(new long[] {2}, new float[2])));
    try (MomentumSgd sgd = optimizer(manager.newSubManager())) {
      assertThatThrownBy(() -> sgd.restore(foreign)).hasMessageContaining("unknown parameter");
    }
  }

  @Test
  void refusesRestoredBuffersOfTheWrongShape() {
    String name =
        block.getParameters().stream()
            .filter(p -> p.getValue() == weight)
            .map(Pair::getKey)
            .findFirst()
            .orElseThrow();
    MomentumState wrong =
        new MomentumState(Map.of(name, new MomentumState.Buffer(new long[] {2, 2}, new float[4])));
    try (MomentumSgd sgd = optimizer(manager.newSubManager())) {
      sgd.restore(wrong);
      NDArray array = trainable(new float[12]);
      assertThatThrownBy(() -> sgd.update(weight.getId(), array, manager.zeros(new Shape(3, 4))))
          .hasMessageContaining("shape");
    }
  }
}
