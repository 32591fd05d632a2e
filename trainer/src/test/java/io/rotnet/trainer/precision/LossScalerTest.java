package io.rotnet.trainer.precision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {

  @Test
  void overflowSkipsTheStepAndHalvesTheScale() {
    LossScaler scaler = new LossScaling(1024f, 3).newScaler();
    assertThat(scaler.update(false)).isFalse();
    assertThat(scaler.scale()).isEqualTo(512f);
    assertThat(scaler.skippedSteps()).isEqualTo(1);
    assertThat(scaler.update(false)).isFalse();
    assertThat(scaler.scale()).isEqualTo(256f);
    assertThat(scaler.skippedSteps()).isEqualTo(2);
  }

  @Test
  void theScaleDoublesAfterTheGrowthIntervalOfCleanSteps() {
    LossScaler scaler = new LossScaling(1024f, 3).newScaler();
    assertThat(scaler.update(true)).isTrue();
    assertThat(scaler.update(true)).isTrue();
    assertThat(scaler.scale()).isEqualTo(1024f);
    assertThat(scaler.update(true)).isTrue();
    assertThat(scaler.scale()).isEqualTo(2048f);
    // The count starts again after growing, and an overflow resets it.
    scaler.update(true);
    scaler.update(true);
    scaler.update(false);
    assertThat(scaler.scale()).isEqualTo(1024f);
    scaler.update(true);
    scaler.update(true);
    assertThat(scaler.scale()).isEqualTo(1024f);
    scaler.update(true);
    assertThat(scaler.scale()).isEqualTo(2048f);
    assertThat(scaler.skippedSteps()).isEqualTo(1);
  }

  @Test
  void defaultsAreThoseOfPyTorchsGradScaler() {
    LossScaler scaler = LossScaling.defaults().newScaler();
    assertThat(scaler.scale()).isEqualTo(65536f);
    for (int i = 0; i < 1999; i++) {
      scaler.update(true);
    }
    assertThat(scaler.scale()).isEqualTo(65536f);
    scaler.update(true);
    assertThat(scaler.scale()).isEqualTo(131072f);
  }

  @Test
  void overflowAtTheLowestScaleMeansDivergence() {
    LossScaler scaler = new LossScaling(2f, 10).newScaler();
    assertThat(scaler.update(false)).isFalse();
    assertThat(scaler.scale()).isEqualTo(1f);
    assertThatThrownBy(() -> scaler.update(false)).hasMessageContaining("diverged");
  }

  @Test
  void restoredStateContinuesExactly() {
    LossScaler original = new LossScaling(1024f, 4).newScaler();
    original.update(false);
    original.update(true);
    original.update(true);
    LossScaler resumed = new LossScaling(1024f, 4).newScaler();
    resumed.restore(original.state());
    assertThat(resumed.state()).isEqualTo(new LossScaler.State(512f, 2, 1));
    for (boolean finite : new boolean[] {true, true, false, true}) {
      assertThat(resumed.update(finite)).isEqualTo(original.update(finite));
      assertThat(resumed.state()).isEqualTo(original.state());
    }
  }

  @Test
  void settingsAndStatesAreValidated() {
    assertThatThrownBy(() -> new LossScaling(0.5f, 10)).hasMessageContaining("initial loss scale");
    assertThatThrownBy(() -> new LossScaling(Float.POSITIVE_INFINITY, 10))
        .hasMessageContaining("initial loss scale");
    assertThatThrownBy(() -> new LossScaling(8f, 0)).hasMessageContaining("growth interval");
    assertThatThrownBy(() -> new LossScaler.State(Float.NaN, 0, 0)).hasMessageContaining("scale");
    assertThatThrownBy(() -> new LossScaler.State(8f, -1, 0)).hasMessageContaining("clean");
  }
}
