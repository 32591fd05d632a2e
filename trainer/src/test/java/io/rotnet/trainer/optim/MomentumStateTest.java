package io.rotnet.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MomentumStateTest {

  private static MomentumState sample() {
    float[] big = new float[70_000]; // spans more than one write chunk
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) Math.sin(i) * 1e-3f;
    }
    return new MomentumState(
        Map.of(
            "conv.weight", new MomentumState.Buffer(new long[] {7, 10_000}, big),
            "bn.gamma",
                new MomentumState.Buffer(
                    new long[] {3}, new float[] {Float.MIN_VALUE, -0f, 1e30f})));
  }

  private static byte[] bytes(MomentumState state) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    state.write(out);
    return out.toByteArray();
  }

  @Test
  void roundTripsEveryBit() throws IOException {
    MomentumState state = sample();
    MomentumState read = MomentumState.read(new ByteArrayInputStream(bytes(state)));
    assertThat(read).isEqualTo(state);
    assertThat(read.buffers().get("bn.gamma").values())
        .containsExactly(Float.MIN_VALUE, -0f, 1e30f);
  }

  @Test
  void refusesForeignAndTruncatedFiles() throws IOException {
    byte[] good = bytes(sample());
    byte[] foreign = good.clone();
    foreign[0] = 'X';
    assertThatThrownBy(() -> MomentumState.read(new ByteArrayInputStream(foreign)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("magic");
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    assertThatThrownBy(() -> MomentumState.read(new ByteArrayInputStream(truncated)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void shapeMustHoldTheValues() {
    assertThatThrownBy(() -> new MomentumState.Buffer(new long[] {2, 2}, new float[3]))
        .hasMessageContaining("does not hold");
  }
}
