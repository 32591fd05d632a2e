package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureTapsTest {

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
  @CsvSource({"7,5,3,2", "14,14,3,3", "5,9,4,4", "1,1,2,2", "12,12,6,6", "13,10,12,12"})
  void adaptivePoolingMatchesPytorchBins(int height, int width, int outH, int outW) {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 3, height, width));
      float[] values = x.toFloatArray();

      NDArray pooled = FeatureTaps.adaptiveAveragePool(x, outH, outW);

      assertThat(pooled.getShape()).isEqualTo(new Shape(2, 3, outH, outW));
      float[] actual = pooled.toFloatArray();
      int k = 0;
      for (int plane = 0; plane < 6; plane++) {
        for (int i = 0; i < outH; i++) {
          for (int j = 0; j < outW; j++) {
            double sum = 0;
            int count = 0;
            for (int r = floor(i, height, outH); r < ceil(i + 1, height, outH); r++) {
              for (int c = floor(j, width, outW); c < ceil(j + 1, width, outW); c++) {
                sum += values[plane * height * width + r * width + c];
                count++;
              }
            }
            assertThat(actual[k++]).isCloseTo((float) (sum / count), within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void everyTapHasTheReferenceGeometryAt224() {
    // the reference kernels turn each map into its grid: (in + 2p - k) / s + 1
    for (Tap tap : Tap.spatial()) {
      int in = tap.referenceFeatureSize();
      int out = (in + 2 * tap.referencePadding() - tap.referenceKernel()) / tap.referenceStride() + 1;
      assertThat(out).as(tap.label()).isEqualTo(tap.grid());
    }
    assertThat(Tap.FEATURE1.referenceFeatureSize()).isEqualTo(112);
    assertThat(Tap.FEATURE5.referenceFeatureSize()).isEqualTo(7);
    ModelSpec r50 = ModelSpec.resnet50();
    assertThat(Tap.spatial()).extracting(t -> t.dims(r50)).containsExactly(9216L, 9216L, 8192L, 9216L, 8192L);
    assertThat(Tap.AVGPOOL.dims(r50)).isEqualTo(2048L);
  }

  private static int floor(int i, int in, int out) {
    return (i * in) / out;
  }

  private static int ceil(int i, int in, int out) {
    return (i * in + out - 1) / out;
  }
}
