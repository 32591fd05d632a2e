package io.rotnet.dense.detection.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskOpsTest {

  @Test
  void maskTargetsAreTheMmcvRoiAlignOfTheBitmapBinarised() {
    int h = 40;
    int w = 50;
    float[] bitmap = new float[h * w];
    double[] asDouble = new double[h * w];
    for (int y = 8; y < 30; y++) {
      for (int x = 12 + y / 4; x < 41; x++) {
        bitmap[y * w + x] = 1f;
        asDouble[y * w + x] = 1;
      }
    }
    float[][] boxes = {{10, 6, 44, 33}, {-3, -4, 20, 20}, {30.5f, 25.2f, 49.9f, 39.9f}};
    for (float[] box : boxes) {
      float[] target = MaskTargets.target(bitmap, h, w, box, 28);
      double[] reference =
          MmcvRoiAlignLoop.forward(asDouble, 1, h, w, box, new int[] {0}, 28, 28, 1f, 0);
      for (int i = 0; i < target.length; i++) {
        assertThat(target[i]).isEqualTo(reference[i] >= 0.5 ? 1f : 0f);
      }
    }
  }

  @Test
  void pastingAConstantMaskFillsTheBoxAndAHalfPixelFringe() {
    float[] ones = new float[28 * 28];
    java.util.Arrays.fill(ones, 1f);
    float[] box = {10, 20, 30, 25};
    float[] image = MaskPaster.paste(ones, 28, box, 40, 50, -1f);
    // pixel centres inside the box sample the mask's interior: 1
    assertThat(image[22 * 50 + 15]).isCloseTo(1f, within(1e-6f));
    assertThat(image[20 * 50 + 10]).isCloseTo(1f, within(1e-6f));
    // just left of the box, grid_sample's u = (9.5 - 10) / 20 * 28 - 0.5 = -1.2: both corners out
    assertThat(image[22 * 50 + 9]).isZero();
    // just above: v = (19.5 - 20) / 5 * 28 - 0.5 = -3.3, likewise
    assertThat(image[19 * 50 + 15]).isZero();
    // two pixels away and beyond: untouched
    assertThat(image[22 * 50 + 7]).isZero();
    assertThat(image[30 * 50 + 15]).isZero();
    float[] binary = MaskPaster.paste(ones, 28, box, 40, 50, 0.5f);
    int count = 0;
    for (float v : binary) {
      count += v > 0 ? 1 : 0;
    }
    assertThat(count).isEqualTo(20 * 5);
  }

  @Test
  void pastingSamplesBilinearlyWithAlignCornersFalse() {
    // a 2 x 2 mask [[0, 1], [0, 1]] over box [0, 0, 4, 4]: column x has u = (x + 0.5) / 4 * 2 - 0.5
    float[] mask = {0, 1, 0, 1};
    float[] image = MaskPaster.paste(mask, 2, new float[] {0, 0, 4, 4}, 4, 4, -1f);
    for (int y = 0; y < 4; y++) {
      // rows: v = (y + 0.5) / 2 - 0.5; rows at v < 0 or v > 1 lose the out-of-range corner's weight
      float v = (y + 0.5f) / 2f - 0.5f;
      float rowWeight = v < 0 ? 1 + v : v > 1 ? 2 - v : 1f;
      for (int x = 0; x < 4; x++) {
        float u = (x + 0.5f) / 2f - 0.5f;
        float colValue = u < 0 ? 0f : u > 1 ? (2 - u) : u;
        assertThat(image[y * 4 + x]).as("(%d, %d)", y, x).isCloseTo(rowWeight * colValue, within(1e-6f));
      }
    }
  }

  @Test
  void pixelShuffleUpsampleIsAStride2TransposedConvolution() {
    int n = 2;
    int cin = 3;
    int cout = 2;
    int h = 3;
    int w = 4;
    try (NDManager manager = NDManager.newBaseManager()) {
      PixelShuffleUpsample up = new PixelShuffleUpsample(cout);
      up.initialize(manager, DataType.FLOAT32, new Shape(n, cin, h, w));
      Random random = new Random(5);
      float[] x = new float[n * cin * h * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] bias = {0.3f, -0.7f};
      up.bias().getArray().set(manager.create(bias).toByteBuffer());
      float[] weight = up.weight().getArray().toFloatArray(); // [(o, dy, dx), c]
      NDArray out =
          up.forward(new ParameterStore(manager, false), new NDList(manager.create(x, new Shape(n, cin, h, w))), false)
              .singletonOrThrow();
      assertThat(out.getShape()).isEqualTo(new Shape(n, cout, 2 * h, 2 * w));
      float[] actual = out.toFloatArray();
      for (int b = 0; b < n; b++) {
        for (int o = 0; o < cout; o++) {
          for (int oy = 0; oy < 2 * h; oy++) {
            for (int ox = 0; ox < 2 * w; ox++) {
              // ConvTranspose2d(k=2, s=2, p=0): output (oy, ox) reads input (oy / 2, ox / 2), tap (oy % 2, ox % 2)
              double s = bias[o];
              for (int c = 0; c < cin; c++) {
                int tap = (o * 2 + oy % 2) * 2 + ox % 2;
                s += x[((b * cin + c) * h + oy / 2) * w + ox / 2] * weight[tap * cin + c];
              }
              assertThat((double) actual[((b * cout + o) * 2 * h + oy) * 2 * w + ox]).isCloseTo(s, within(1e-5));
            }
          }
        }
      }
    }
  }
}
