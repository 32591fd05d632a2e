package io.rotnet.evaluator.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinearPresetTest {

  @Test
  void namedPresetsCarryTheReferenceSchedulesAndDemoPresetsOnlyChangeValues() {
    LinearPreset mhead = LinearPreset.require("imagenet-mhead-90e");
    assertThat(mhead.milestones()).containsExactly(30, 60);
    assertThat(mhead.learningRateAt(29)).isEqualTo(0.01);
    assertThat(mhead.learningRateAt(30)).isCloseTo(0.001, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(LinearPreset.require("places205-mhead-28e").milestones()).containsExactly(7, 14, 21);
    LinearPreset avgpool = LinearPreset.require("imagenet-avgpool-100e");
    assertThat(avgpool.learningRate()).isEqualTo(30.0);
    assertThat(avgpool.nesterov()).isFalse();

    LinearPreset demo = LinearPreset.require("demo-mhead-6e");
    assertThat(demo.milestones()).containsExactly(2, 4);
    assertThat(demo.trainView()).isEqualTo(mhead.trainView());
    assertThat(demo.heads()).isEqualTo(mhead.heads());
    assertThat(demo.learningRate()).isEqualTo(mhead.learningRate());
    assertThat(demo.batchSize()).isEqualTo(256);
    assertThat(LinearPreset.require("demo-avgpool-6e").milestones()).containsExactly(4, 5);
    assertThatThrownBy(() -> LinearPreset.require("imagenet-90e")).hasMessageContaining("imagenet-mhead-90e");
  }
}
