package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  private final LearningRateSchedule reference =
      LearningRateSchedule.of(TrainingPresets.RESNET50_STEPLR_70E);

  @Test
  void warmsUpLinearlyFromATenthOverFiveEpochs() {
    assertThat(reference.at(0)).isCloseTo(0.02, within(1e-12));
    assertThat(reference.at(2.5)).isCloseTo(0.2 * (0.1 + 0.9 * 0.5), within(1e-12));
    assertThat(reference.at(4.999)).isLessThan(0.2).isGreaterThan(0.1999);
    assertThat(reference.at(5)).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void decaysTenfoldAtEpochsThirtyAndFifty() {
    assertThat(reference.at(29.999)).isCloseTo(0.2, within(1e-12));
    assertThat(reference.at(30)).isCloseTo(0.02, within(1e-12));
    assertThat(reference.at(49.999)).isCloseTo(0.02, within(1e-12));
    assertThat(reference.at(50)).isCloseTo(0.002, within(1e-12));
    assertThat(reference.at(69.99)).isCloseTo(0.002, within(1e-12));
  }

  @Test
  void scalesThePeakLinearlyWithTheBatch() {
    TrainingPreset quarter = TrainingPresets.RESNET50_STEPLR_70E.toBuilder().batchSize(128).build();
    assertThat(LearningRateSchedule.of(quarter).at(10)).isCloseTo(0.05, within(1e-12));
    assertThat(LearningRateSchedule.of(quarter).at(0)).isCloseTo(0.005, within(1e-12));
  }

  @Test
  void warmupAppliesOnTopOfAnEarlyDecay() {
    LearningRateSchedule schedule = new LearningRateSchedule(1.0, 4, 0.5, List.of(2), 0.1);
    assertThat(schedule.at(3)).isCloseTo(0.1 * (0.5 + 0.5 * 0.75), within(1e-12));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new LearningRateSchedule(0, 5, 0.1, List.of(30), 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LearningRateSchedule(0.1, 5, 0.1, List.of(50, 30), 0.1))
        .hasMessageContaining("increasing");
    assertThatThrownBy(() -> reference.at(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
