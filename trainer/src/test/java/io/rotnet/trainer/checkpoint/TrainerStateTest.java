package io.rotnet.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.trainer.input.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrainerStateTest {

  @Test
  void roundTripsExactly() {
    TrainerState state =
        new TrainerState(
            1234,
            78_976,
            3.0 + 1.0 / 3,
            StreamPosition.decode("rotnet.images 0 4936 4940,4941\n"),
            OptionalInt.of(3),
            "rotnet-tiny-cpu",
            0.123456789,
            0.875);
    TrainerState read = TrainerState.fromBytes(state.toBytes());
    assertThat(read).isEqualTo(state);
    assertThat(read.epochProgress()).isEqualTo(3.0 + 1.0 / 3);
    assertThat(read.epoch()).isEqualTo(3);
  }

  @Test
  void refusesForeignOrIncompleteFiles() {
    assertThatThrownBy(() -> TrainerState.fromBytes("format=9\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("format");
    assertThatThrownBy(
            () -> TrainerState.fromBytes("format=1\nstep=3\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("lacks");
  }
}
