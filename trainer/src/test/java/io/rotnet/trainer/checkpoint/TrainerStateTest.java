package io.rotnet.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.precision.LossScaler;
import io.rotnet.trainer.precision.Precision;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
            0.875,
            Precision.FP32,
            Optional.empty());
    TrainerState read = TrainerState.fromBytes(state.toBytes());
    assertThat(read).isEqualTo(state);
    assertThat(read.epochProgress()).isEqualTo(3.0 + 1.0 / 3);
    assertThat(read.epoch()).isEqualTo(3);
  }

  @Test
  void fp16StateRoundTripsItsLossScaler() {
    TrainerState state =
        new TrainerState(
            40,
            640,
            1.5,
            StreamPosition.decode("rotnet.images 0 640\n"),
            OptionalInt.empty(),
            "rotnet-tiny-cpu",
            0.5,
            0.75,
            Precision.FP16,
            Optional.of(new LossScaler.State(32768f, 17, 3)));
    String text = new String(state.toBytes(), StandardCharsets.UTF_8);
    assertThat(text).contains("precision=fp16", "lossScale=32768.0", "skippedSteps=3");
    assertThat(TrainerState.fromBytes(state.toBytes())).isEqualTo(state);
  }

  @Test
  void aStateWithoutPrecisionIsAnFp32Runs() {
    TrainerState fp32 =
        new TrainerState(
            8,
            128,
            0.5,
            StreamPosition.decode("rotnet.images 0 128\n"),
            OptionalInt.empty(),
            "rotnet-tiny-cpu",
            1.0,
            0.25,
            Precision.FP32,
            Optional.empty());
    String text = new String(fp32.toBytes(), StandardCharsets.UTF_8);
    String older = text.replaceAll("(?m)^precision=.*\n", "");
    assertThat(older).doesNotContain("precision");
    assertThat(TrainerState.fromBytes(older.getBytes(StandardCharsets.UTF_8))).isEqualTo(fp32);
  }

  @Test
  void theLossScalerGoesWithFp16Only() {
    StreamPosition position = StreamPosition.decode("rotnet.images 0 16\n");
    assertThatThrownBy(
            () ->
                new TrainerState(
                    1, 16, 0.1, position, OptionalInt.empty(), "p", 1, 0, Precision.FP16,
                    Optional.empty()))
        .hasMessageContaining("lacks its loss scaler");
    assertThatThrownBy(
            () ->
                new TrainerState(
                    1, 16, 0.1, position, OptionalInt.empty(), "p", 1, 0, Precision.FP32,
                    Optional.of(new LossScaler.State(2f, 0, 0))))
        .hasMessageContaining("must not carry");
    byte[] tampered =
        ("format=1\nstep=1\nimagesSeen=16\nepochProgress=0.1\nposition=rotnet.images 0 16\\n\n"
                + "preset=p\nloss=1\naccuracy=0\nprecision=fp16\nlossScale=-4\n"
                + "lossScaleCleanSteps=0\nskippedSteps=0\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TrainerState.fromBytes(tampered))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss scaler");
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
