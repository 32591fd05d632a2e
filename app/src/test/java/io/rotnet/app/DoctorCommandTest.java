package io.rotnet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotnet.devstack.EmbeddedStack;
import io.rotnet.trainer.devices.EngineDevices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

  private record Run(int code, String out) {}

  private static Run doctor(String... args) {
    StringWriter out = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = "doctor";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = Main.run(full, new PrintWriter(out), new PrintWriter(new StringWriter()));
    return new Run(code, out.toString());
  }

  @Test
  void aHealthyStackReportsEngineServicesAndSpace(@TempDir Path dir) {
    try (EmbeddedStack stack = EmbeddedStack.startTemporary()) {
      Run run = doctor(
          "--bootstrap-servers", stack.bootstrapServers(),
          "--schema-registry-url", stack.schemaRegistryUrl(),
          "--checkpoint-dir", dir.resolve("checkpoints").toString(),
          "--cache-dir", dir.toString());

      EngineDevices engine = EngineDevices.current();
      assertThat(run.code()).as(run.out()).isZero();
      assertThat(run.out())
          .contains("engine: PyTorch ", "libtorch " + engine.libtorchVersion(), engine.libtorchPath())
          .contains("GPUs usable: " + engine.gpuCount())
          .contains("DJL_OFFLINE: true")
          .contains("broker " + stack.bootstrapServers() + ": answers")
          .contains("registry " + stack.schemaRegistryUrl() + ": answers")
          .contains("checkpoints " + dir.resolve("checkpoints") + ": ", "GiB free", "not created yet")
          .contains("feature cache " + dir + ": ")
          .endsWith("ok" + System.lineSeparator());
    }
  }

  @Test
  void servicesThatDoNotAnswerAndAMissingGpuAreProblems(@TempDir Path dir) throws Exception {
    String silent;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      silent = "127.0.0.1:" + socket.getLocalPort();
    }
    Run run = doctor(
        "--bootstrap-servers", silent, "--schema-registry-url", "http://" + silent,
        "--checkpoint-dir", dir.toString(), "--cache-dir", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("broker " + silent + ": does not answer")
        .contains("registry http://" + silent + ": does not answer")
        .contains("2 problem(s):");

    Run gpu = doctor("--require-gpu", "--skip-services", "--checkpoint-dir", dir.toString(),
        "--cache-dir", dir.toString(), "--min-free", "1");
    if (EngineDevices.current().gpuCount() == 0) {
      assertThat(gpu.code()).isEqualTo(1);
      assertThat(gpu.out()).contains("1 problem(s):", "no GPU can be used");
    } else {
      assertThat(gpu.code()).as(gpu.out()).isZero();
    }
  }
}
