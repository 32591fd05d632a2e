package io.rotnet.trainer.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineDevicesTest {

  private final EngineDevices engine = EngineDevices.current();

  @Test
  void aGpuTheEngineDoesNotHaveIsRefusedWithWhatTheEngineFound() {
    // One past the last usable GPU: absent on every machine (gpu0 on a CPU-only one).
    Device missing = Device.gpu(engine.gpuCount());
    assertThatThrownBy(() -> engine.requireAvailable(List.of(Device.cpu(), missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("device " + missing + " not available")
        .hasMessageContaining(engine.gpuCount() + " GPU(s) usable")
        .hasMessageContaining("libtorch " + engine.libtorchVersion())
        .hasMessageContaining(engine.libtorchPath())
        .hasMessageNotContaining("cpu() not available");
  }

  @Test
  void theCpuAndTheUsableGpusAreAccepted() {
    engine.requireAvailable(List.of(Device.cpu()));
    engine.requireAvailable(engine.defaults());
    if (engine.gpuCount() == 0) {
      assertThat(engine.defaults()).containsExactly(Device.cpu());
    } else {
      assertThat(engine.defaults()).hasSize(engine.gpuCount()).allMatch(Device::isGpu);
    }
  }

  @Test
  void describesTheBuildItLoaded() {
    assertThat(engine.describe())
        .startsWith("PyTorch ")
        .contains(engine.cudaBuild() ? "CUDA build" : "CPU-only build")
        .contains("natives in ");
  }

  @Test
  void cudnnBenchmarkModeIsForGpusOnly() {
    assertThat(engine.enableCudnnBenchmarkFor(List.of(Device.cpu()))).isFalse();
  }
}
