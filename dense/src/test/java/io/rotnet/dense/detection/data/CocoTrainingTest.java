package io.rotnet.dense.detection.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The mask side of the detection pipeline: masks follow the image through resize and flip. */
class CocoTrainingTest {

  @Test
  void aMaskIsResizedByNearestNeighbourAsCv2AndFlippedWithTheImage() {
    // 4 x 2 mask, left column set: (x=0, y=0..1)
    boolean[] mask = {true, false, false, false, true, false, false, false};
    float[] up = DetectionPipeline.resizeMask(mask, 4, 2, 8, 4, false);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        assertThat(up[y * 8 + x]).as("(%d, %d)", x, y).isEqualTo(x < 2 ? 1f : 0f);
      }
    }
    float[] flipped = DetectionPipeline.resizeMask(mask, 4, 2, 8, 4, true);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        assertThat(flipped[y * 8 + x]).isEqualTo(x >= 6 ? 1f : 0f);
      }
    }
    // down-sampling keeps the source pixel floor(x * w / nw): columns 0 and 2 of 4
    float[] down = DetectionPipeline.resizeMask(mask, 4, 2, 2, 1, false);
    assertThat(down).containsExactly(1f, 0f);
  }
}
