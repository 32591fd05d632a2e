package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.trainer.TrainingPreset;
import io.rotnet.trainer.TrainingPresets;
import io.rotnet.trainer.precision.Precision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

  private static TrainingPreset parsedPreset(String... args) {
    CommandLine commandLine = RotnetCommand.commandLine(args);
    commandLine.parseArgs(args);
    TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
    return train.preset();
  }

  @Test
  void precisionOverridesThePresetsAndNothingElse() {
    TrainingPreset preset =
        parsedPreset(
            "train", "--preset", "rotnet-tiny-cpu", "--run-id", "r", "--checkpoint-dir", "d",
            "--precision", "FP16", "--batch-size", "32");
    assertThat(preset.precision()).isEqualTo(Precision.FP16);
    assertThat(preset)
        .isEqualTo(
            TrainingPresets.TINY_CPU.toBuilder()
                .batchSize(32)
                .precision(Precision.FP16)
                .build());
    assertThat(
            parsedPreset("train", "--preset", "rotnet-tiny-cpu", "--run-id", "r",
                "--checkpoint-dir", "d"))
        .isEqualTo(TrainingPresets.TINY_CPU);
  }

  @Test
  void replicaBatchSizeOverridesThePreset() {
    TrainingPreset preset =
        parsedPreset(
            "train", "--preset", "rotnet-tiny-cpu", "--run-id", "r", "--checkpoint-dir", "d",
            "--batch-size", "128", "--replica-batch-size", "32");
    assertThat(preset.partSize()).isEqualTo(32);
    assertThat(preset.batchSize() / preset.partSize()).isEqualTo(4);
  }

  @Test
  void precisionComesFromTheConfigFileToo(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("train.properties");
    Files.writeString(config, "preset=rotnet-tiny-cpu\nprecision=fp16\n");
    TrainingPreset preset =
        parsedPreset(
            "train", "--config", config.toString(), "--run-id", "r", "--checkpoint-dir", "d");
    assertThat(preset.precision()).isEqualTo(Precision.FP16);
  }

  @Test
  void unknownAndUnsupportedPrecisionsAreUsageErrors(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    String[] unknown = {
      "train", "--run-id", "r", "--checkpoint-dir", dir.toString(), "--precision", "fp8"
    };
    assertThat(Main.run(unknown, new PrintWriter(new StringWriter()), new PrintWriter(err)))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--precision", "fp8", "fp32, bf16, fp16");

    // bf16 is refused while the settings are checked, before any broker is contacted.
    StringWriter bf16Err = new StringWriter();
    String[] bf16 = {
      "train", "--preset", "rotnet-tiny-cpu", "--run-id", "r", "--checkpoint-dir", dir.toString(),
      "--precision", "bf16", "--bootstrap-servers", "127.0.0.1:1"
    };
    assertThat(Main.run(bf16, new PrintWriter(new StringWriter()), new PrintWriter(bf16Err)))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(bf16Err.toString()).contains("bf16 is not available", "use fp16");
  }

  @Test
  void aMissingGpuFailsInSecondsBeforeConnectingToAnything(@TempDir Path dir) throws Exception {
    String missing = "gpu" + io.rotnet.trainer.devices.EngineDevices.current().gpuCount();
    try (java.net.ServerSocket broker = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + broker.getLocalPort();
      StringWriter err = new StringWriter();
      long started = System.nanoTime();
      int code =
          Main.run(
              new String[] {
                "train", "--preset", "rotnet-tiny-cpu", "--run-id", "r",
                "--checkpoint-dir", dir.toString(), "--devices", missing,
                "--bootstrap-servers", address, "--schema-registry-url", "http://" + address
              },
              new PrintWriter(new StringWriter()),
              new PrintWriter(err));
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;

      assertThat(code).isEqualTo(ExitCodes.USAGE);
      assertThat(seconds).isLessThan(20);
      assertThat(err.toString())
          .contains("device gpu(" + missing.substring(3) + ") not available")
          .contains("GPU(s) usable")
          .doesNotContain("aten::");
      broker.setSoTimeout(200);
      assertThatThrownBy(broker::accept).isInstanceOf(java.net.SocketTimeoutException.class);
    }
    assertThat(Files.list(dir)).isEmpty();
  }
}
