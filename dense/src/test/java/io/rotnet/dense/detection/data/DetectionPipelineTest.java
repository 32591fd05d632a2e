package io.rotnet.dense.detection.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.dense.detection.model.DetectionBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resize, flip and pad as mmdet's pipeline does them, checked on hand-derived sizes and boxes. */
class DetectionPipelineTest {

  @Test
  void vocImagesResizeToShortSide800BoundedBy1333() {
    assertThat(DetectionPipeline.rescaleSize(500, 375, 1333, 800)).containsExactly(1067, 800);
    assertThat(DetectionPipeline.rescaleSize(500, 200, 1333, 800)).containsExactly(1333, 533); // long side binds
  }

  @Test
  void boxesScaleFlipAndClipWithTheImage() {
    float[][] rgb = new float[3][4 * 2];
    rgb[0][0] = 255; // top-left red pixel
    DetectionPipeline.Resized r = DetectionPipeline.resize(rgb, 4, 2, new float[] {0, 0, 1, 1, 2, 0, 5, 2}, 4, 100, true);
    assertThat(r.width()).isEqualTo(8);
    assertThat(r.height()).isEqualTo(4);
    assertThat(r.scaleX()).isEqualTo(2f);
    // box 1: (0,0,2,2) flipped in width 8 -> (6,0,8,2); box 2 clipped to x2 = 8 first -> (4,0,8,4) -> (0,0,4,4)
    assertThat(r.boxes()).containsExactly(6, 0, 8, 2, 0, 0, 4, 4);
    float red = (255 - DetectionPipeline.MEAN[0]) / DetectionPipeline.STD[0];
    assertThat(r.pixels()[7]).isEqualTo(red); // the red corner moved to the right
    assertThat(r.pixels()[0]).isEqualTo(-DetectionPipeline.MEAN[0] / DetectionPipeline.STD[0]);
  }

  @Test
  void aBatchPadsToTheLargestImageRoundedTo32() {
    DetectionPipeline.Resized a = DetectionPipeline.resize(new float[3][40 * 30], 40, 30, new float[0], 30, 100, false);
    DetectionPipeline.Resized b = DetectionPipeline.resize(new float[3][20 * 50], 20, 50, new float[0], 20, 100, false);
    DetectionBatch batch = DetectionPipeline.batch(List.of(a, b), List.of(new int[0], new int[0]), null, 32);
    assertThat(batch.padHeight()).isEqualTo(64);
    assertThat(batch.padWidth()).isEqualTo(64);
    assertThat(batch.images().get(1).height()).isEqualTo(50);
    assertThat(batch.pixels()[(3 * 64 + 0) * 64 + 0]).isNotZero(); // image b's first pixel, normalised black
    assertThat(batch.pixels()[(3 * 64 + 0) * 64 + 20]).isZero(); // its padding
  }
}
