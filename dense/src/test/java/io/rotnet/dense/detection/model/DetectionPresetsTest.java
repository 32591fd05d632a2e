package io.rotnet.dense.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The reference presets carry the configs' values; tiny ones keep the algorithm. */
class DetectionPresetsTest {

  @Test
  void vocC4CarriesTheBenchmarkConfig() {
    DetectorConfig c = DetectionPresets.get(DetectionPresets.VOC_C4);
    assertThat(c.architecture()).isEqualTo(DetectorConfig.Architecture.C4);
    assertThat(c.anchors().perLocation()).isEqualTo(15);
    assertThat(c.anchors().strides()).containsExactly(16);
    assertThat(c.rpn().allowedBorder()).isZero();
    assertThat(c.rpn().train()).isEqualTo(new DetectorConfig.Proposals(12000, 0.7f, 2000, 0f));
    assertThat(c.rpn().test()).isEqualTo(new DetectorConfig.Proposals(6000, 0.7f, 1000, 0f));
    assertThat(c.rcnn().roiSize()).isEqualTo(14);
    assertThat(c.rcnn().assigner().matchLowQuality()).isFalse();
    assertThat(c.rcnn().sampler()).isEqualTo(new DetectorConfig.Sampler(512, 0.25f, true));
    assertThat(c.data().trainShortSides()).hasSize(11).startsWith(480).endsWith(800);
    assertThat(c.data().imagesPerIteration()).isEqualTo(16);
  }

  @Test
  void cocoFpnCarriesTheBenchmarkConfig() {
    DetectorConfig c = DetectionPresets.get(DetectionPresets.COCO_FPN);
    assertThat(c.anchors().strides()).containsExactly(4, 8, 16, 32, 64);
    assertThat(c.anchors().perLocation()).isEqualTo(3);
    assertThat(c.rpn().allowedBorder()).isEqualTo(-1);
    assertThat(c.rpn().train()).isEqualTo(new DetectorConfig.Proposals(2000, 0.7f, 1000, 0f));
    assertThat(c.rcnn().assigner().matchLowQuality()).isTrue();
    assertThat(c.rcnn().maskSize()).isEqualTo(28);
    assertThat(c.data().trainShortSides()).containsExactly(640, 672, 704, 736, 768, 800);
    // 12 epochs of ceil(117266 / 16) iterations, steps after epochs 8 and 11
    assertThat(c.schedule().maxIterations()).isEqualTo(12 * 7330);
    assertThat(c.schedule().steps()).containsExactly(8 * 7330, 11 * 7330);
  }

  @Test
  void scheduleIsMmcvLinearWarmUpThenSteps() {
    DetectorConfig.Schedule s = DetectionPresets.vocC4().schedule();
    assertThat(s.learningRate(0)).isCloseTo(0.02f * 0.001f, within(1e-9f));
    // halfway through warm-up: lr * (1 - 0.5 * (1 - 0.001))
    assertThat(s.learningRate(50)).isCloseTo(0.02f * (1 - 0.5f * 0.999f), within(1e-7f));
    assertThat(s.learningRate(100)).isEqualTo(0.02f);
    assertThat(s.learningRate(17999)).isEqualTo(0.02f);
    assertThat(s.learningRate(18000)).isCloseTo(0.002f, within(1e-8f));
    assertThat(s.learningRate(22000)).isCloseTo(0.0002f, within(1e-9f));
  }

  @Test
  void tinyPresetsKeepTheArchitectureAndUnknownNamesAreRefused() {
    assertThat(DetectionPresets.tinyC4().architecture()).isEqualTo(DetectorConfig.Architecture.C4);
    assertThat(DetectionPresets.tinyFpn().rcnn().withMask()).isTrue();
    assertThat(DetectionPresets.tinyC4().backbone().depth()).isEqualTo(50);
    assertThatThrownBy(() -> DetectionPresets.get("faster-rcnn-r101"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown detection preset");
  }

  @Test
  void derivedConfigsChangeOnlyTheNamedValues() {
    DetectorConfig c = DetectionPresets.vocC4();
    DetectorConfig d = c.withBackbone(18, 8).withClasses(3).withIterations(500);
    assertThat(d.backbone()).isEqualTo(new DetectorConfig.Backbone(18, 8, c.backbone().fpnChannels()));
    assertThat(d.numClasses()).isEqualTo(3);
    assertThat(d.schedule().maxIterations()).isEqualTo(500);
    assertThat(d.schedule().steps()).containsExactly(18000, 22000);
    assertThat(d.schedule().learningRate(50)).isEqualTo(c.schedule().learningRate(50));
    assertThat(d.rpn()).isSameAs(c.rpn());
    assertThat(d.rcnn()).isSameAs(c.rcnn());
    assertThat(d.data()).isSameAs(c.data());
  }
}
