package io.rotnet.dense.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.rotnet.model.ModelSpec;
import org.junit.jupiter.api.Test;

class FcnModelTest {

  @Test
  void d8LogitsAreAnEighthOfTheInputAndTheFullModelCostsWhatMmsegReports() {
    FcnModel model = new FcnModel(ModelSpec.resnet50(), 21, 512, 256, 0.1f);
    Shape[] out = model.getOutputShapes(new Shape[] {new Shape(2, 3, 512, 512)});
    assertThat(out[0]).isEqualTo(new Shape(2, 21, 64, 64));
    assertThat(out[1]).isEqualTo(new Shape(2, 21, 64, 64));
    // summed by hand per layer at 512x512: backbone 99.67 GMAC, decode head 96.6 + 0.04, auxiliary head 9.7
    double gmacs = SegmentationBench.forwardMacs(ModelSpec.resnet50(), 512, SegmentationPreset.FULL, 21) / 1e9;
    assertThat(gmacs).isCloseTo(206.04, within(0.01));
  }

  @Test
  void polyScheduleAsMmcv() {
    SegmentationPreset p = SegmentationPreset.FULL;
    assertThat(p.learningRate(0)).isEqualTo(0.01);
    assertThat(p.learningRate(10000)).isCloseTo((0.01 - 1e-4) * Math.pow(0.5, 0.9) + 1e-4, within(1e-15));
    assertThat(p.learningRate(20000)).isEqualTo(1e-4);
    assertThat(SegmentationPreset.named("voc12aug-fcn-r50-d8-tiny").crop()).isEqualTo(64);
  }
}
