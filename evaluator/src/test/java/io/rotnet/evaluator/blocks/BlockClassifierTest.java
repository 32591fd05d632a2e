package io.rotnet.evaluator.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.rotnet.evaluator.blocks.BlockProtocol.Head;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockClassifierTest {

  @Test
  void rateTableIsTheReferencesAtAnyEpochCount() {
    BlockProtocol reference = BlockProtocol.cifar100e();
    // LUT_lr = [(35, 0.1), (70, 0.02), (85, 0.004), (100, 0.0008)], 0-based epochs
    assertThat(reference.rateAt(0)).isCloseTo(0.1, within(1e-12));
    assertThat(reference.rateAt(34)).isCloseTo(0.1, within(1e-12));
    assertThat(reference.rateAt(35)).isCloseTo(0.02, within(1e-12));
    assertThat(reference.rateAt(84)).isCloseTo(0.004, within(1e-12));
    assertThat(reference.rateAt(99)).isCloseTo(0.0008, within(1e-12));
    BlockProtocol ten = BlockProtocol.cifarEpochs(10);
    double[] rates = new double[10];
    for (int e = 0; e < 10; e++) {
      rates[e] = ten.rateAt(e);
    }
    assertThat(rates).containsExactly(new double[] {0.1, 0.1, 0.1, 0.1, 0.02, 0.02, 0.02, 0.004, 0.004, 0.0008},
        within(1e-12));
  }

  @Test
  void bothHeadsLearnSeparableMapsAndHaveTheReferenceSizes() {
    // 3 classes, each a different channel lit on a 2 x 2 x 2 map, plus noise
    BlockFeatures.BlockShape shape = new BlockFeatures.BlockShape("block1", 2, 2, 2);
    BlockFeatures.Split train = split(shape, 300, 1);
    BlockFeatures.Split test = split(shape, 150, 2);
    BlockProtocol protocol = BlockProtocol.cifarEpochs(6).withSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      try (BlockClassifier linear = BlockClassifier.train(Head.LINEAR, protocol, train, 0, 3, manager, line -> {})) {
        assertThat(linear.accuracy(test, 0)).isGreaterThan(90);
        assertThat(linear.parameterCount()).isEqualTo(8 * 3 + 3); // BN without affine has none
      }
      try (BlockClassifier mlp = BlockClassifier.train(Head.NONLINEAR, protocol, train, 0, 3, manager, line -> {})) {
        assertThat(mlp.accuracy(test, 0)).isGreaterThan(90);
        int hidden = BlockClassifier.hiddenUnits(3);
        assertThat(hidden).isEqualTo(60);
        assertThat(mlp.parameterCount()).isEqualTo(8L * hidden + 2 * hidden + (long) hidden * hidden + 2 * hidden
            + hidden * 3L + 3);
      }
    }
  }

  private static BlockFeatures.Split split(BlockFeatures.BlockShape shape, int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n * shape.dims()];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int d = 0; d < shape.dims(); d++) {
        values[i * shape.dims() + d] = (float) (random.nextGaussian() * 0.3);
      }
      // class 0: channel 0 high; class 1: channel 1 high; class 2: both low
      if (labels[i] < 2) {
        for (int p = 0; p < 4; p++) {
          values[i * shape.dims() + labels[i] * 4 + p] += 2f;
        }
      }
    }
    return new BlockFeatures.Split(List.of(shape), List.of(values), labels);
  }
}
