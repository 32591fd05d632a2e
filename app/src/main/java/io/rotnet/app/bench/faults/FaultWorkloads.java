package io.rotnet.app.bench.faults;

import io.rotnet.devstack.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The workloads the scenarios run faults against: real {@code rotnet} commands. */
final class FaultWorkloads {

  /** The small Fashion-MNIST test split in the repository (1000 images, 28 px gray). */
  static final String SOURCE = "data/fashion-mnist-mini/t10k-images-idx3-ubyte.gz";

  private FaultWorkloads() {}

  static Path source() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SOURCE);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IOException("cannot find " + SOURCE + " in the working directory or above it");
  }

  static List<String> produceArgs(EmbeddedStack stack, String topic, int epochs)
      throws IOException {
    return List.of(
        "produce",
        "--source", source().toString(),
        "--topic", topic,
        "--epochs", Integer.toString(epochs),
        "--size", "32",
        "--workers", "1",
        "--progress-every", "3600",
        "--bootstrap-servers", stack.bootstrapServers(),
        "--schema-registry-url", stack.schemaRegistryUrl());
  }

  /** A trainer of the tiny CPU preset on {@code topic}, a checkpoint every {@code every} steps. */
  static List<String> trainArgs(EmbeddedStack stack, String topic, Path checkpoints, String runId, long steps,
      long every) {
    return List.of(
        "train", "--preset", "rotnet-tiny-cpu", "--topic", topic, "--run-id", runId,
        "--checkpoint-dir", checkpoints.toString(), "--max-steps", Long.toString(steps),
        "--checkpoint-every", Long.toString(every), "--keep-last", "1000", "--batch-size", "16",
        "--devices", "cpu",
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl());
  }

  /** A kNN evaluator of every checkpoint under {@code checkpoints}, on a subset of the source's dataset. */
  static List<String> evaluateArgs(EmbeddedStack stack, Path checkpoints, Path cache) throws IOException {
    return List.of(
        "evaluate", "--benchmark", "knn", "--dataset", "idx:" + source().getParent(),
        "--max-train", "1000", "--max-test", "300", "--ks", "10,20",
        "--checkpoint-root", checkpoints.toString(), "--cache-dir", cache.toString(),
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl());
  }

  /** Produces {@code epochs} passes over the source to {@code topic}, in this JVM. */
  static void produceImages(
      EmbeddedStack stack, Path scratch, String topic, int epochs, long timeoutSeconds)
      throws Exception {
    Path log = scratch.resolve("produce-" + topic + ".log");
    int exit = InProcess.run(log, produceArgs(stack, topic, epochs));
    if (exit != 0) {
      throw new IOException("produce exited " + exit + ":\n" + Files.readString(log));
    }
  }
}
