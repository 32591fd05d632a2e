package io.rotnet.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import io.rotnet.model.checkpoint.CheckpointException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRefusalTest {

  @TempDir Path tmp;
  private Path root;
  private WrittenCheckpoint written;
  private CheckpointReader reader;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(tmp.resolve("checkpoints"));
    written = CheckpointFixtures.write(root, "run-1", 20);
    reader = new CheckpointReader(root);
  }

  @Test
  void intactCheckpointLoads() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(reader.load("run-1/step-20", CheckpointFixtures.TINY, written.manifestSha256(), manager)
              .model()
              .spec())
          .isEqualTo(CheckpointFixtures.TINY);
    }
  }

  @Test
  void refusesTamperedParameterByte() throws Exception {
    CheckpointFixtures.flipByte(file(CheckpointLayout.PARAMETERS_FILE), 4000);

    assertRefused("run-1/step-20", Reason.HASH_MISMATCH)
        .hasMessageContaining("parameters.bin has sha256")
        .hasMessageContaining("tampered");
  }

  @Test
  void refusesTamperedExtraFile() throws Exception {
    CheckpointFixtures.flipByte(file("optimizer.bin"), 2);

    assertRefused("run-1/step-20", Reason.HASH_MISMATCH).hasMessageContaining("optimizer.bin");
  }

  @Test
  void refusesTruncatedFile() throws Exception {
    Path params = file(CheckpointLayout.PARAMETERS_FILE);
    long size = Files.size(params);
    try (var channel = Files.newByteChannel(params, StandardOpenOption.WRITE)) {
      channel.truncate(size / 2);
    }

    assertRefused("run-1/step-20", Reason.SIZE_MISMATCH).hasMessageContaining("truncated");
  }

  @Test
  void refusesMissingFile() throws Exception {
    Files.delete(file("optimizer.bin"));

    assertRefused("run-1/step-20", Reason.MISSING_FILE).hasMessageContaining("optimizer.bin");
  }

  @Test
  void refusesMissingManifest() throws Exception {
    Files.delete(file(CheckpointLayout.MANIFEST_FILE));

    assertRefused("run-1/step-20", Reason.NOT_FOUND).hasMessageContaining("manifest.json");
  }

  @Test
  void refusesManifestOtherThanAnnounced() throws Exception {
    Path manifest = file(CheckpointLayout.MANIFEST_FILE);
    String json = Files.readString(manifest);
    Files.writeString(manifest, json.replace("\"epoch\": 2", "\"epoch\": 7"));

    assertThatThrownBy(
            () -> reader.verify("run-1/step-20", written.manifestSha256()))
        .isInstanceOfSatisfying(
            CheckpointException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MANIFEST_MISMATCH))
        .hasMessageContaining("announced " + written.manifestSha256());
  }

  @Test
  void refusesMalformedManifest() throws Exception {
    Files.writeString(file(CheckpointLayout.MANIFEST_FILE), "{\"formatVersion\": 1, \"depth\": ");

    assertRefused("run-1/step-20", Reason.MALFORMED_MANIFEST);
  }

  @Test
  void refusesArchitectureMismatch() {
    ModelSpec other = new ModelSpec(50, 16, 32, 4);

    assertThatThrownBy(() -> load("run-1/step-20", other))
        .isInstanceOfSatisfying(
            CheckpointException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ARCHITECTURE_MISMATCH))
        .hasMessageContaining("holds resnet18-w4")
        .hasMessageContaining("expected resnet50-w4");
  }

  @Test
  void acceptsAnotherInputSizeOfTheSameArchitecture() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded =
          reader.load("run-1/step-20", CheckpointFixtures.TINY.withInputSize(64), null, manager);
      assertThat(loaded.model().spec().inputSize()).isEqualTo(64);
    }
  }

  @Test
  void refusesParametersThatDoNotFitTheDeclaredArchitecture() throws Exception {
    // a bare backbone written under a RotNet manifest: hashes are right, structure is not
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet backbone = ResNet.builder().setDepth(18).optWidthDivisor(16).build();
      backbone.initialize(manager, DataType.FLOAT32, CheckpointFixtures.TINY.inputShape(1));
      new CheckpointWriter(root)
          .write(
              backbone,
              CheckpointFixtures.TINY,
              CheckpointMetadata.builder().setRunId("run-2").setStep(1).build());
    }

    assertRefused("run-2/step-1", Reason.INCOMPATIBLE_PARAMETERS)
        .hasMessageContaining("do not fit");
  }

  @Test
  void refusesDotDotPaths() {
    assertRefused("run-1/../run-1/step-20", Reason.OUTSIDE_ROOT).hasMessageContaining("'..'");
    assertRefused("../checkpoints/run-1/step-20", Reason.OUTSIDE_ROOT);
    assertRefused(root + "/run-1/../run-1/step-20", Reason.OUTSIDE_ROOT);
  }

  @Test
  void refusesAbsolutePathOutsideRoot() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    WrittenCheckpoint foreign = CheckpointFixtures.write(elsewhere, "run-1", 20);

    assertRefused(foreign.directory().toString(), Reason.OUTSIDE_ROOT)
        .hasMessageContaining("outside the checkpoint root");
    assertRefused(foreign.directory().toUri().toString(), Reason.OUTSIDE_ROOT);
  }

  @Test
  void refusesSymlinkEscapingTheRoot() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    WrittenCheckpoint foreign = CheckpointFixtures.write(elsewhere, "run-9", 3);
    Files.createDirectories(root.resolve("run-9"));
    Files.createSymbolicLink(root.resolve("run-9").resolve("step-3"), foreign.directory());

    assertRefused("run-9/step-3", Reason.OUTSIDE_ROOT)
        .hasMessageContaining("symbolic link")
        .hasMessageContaining(elsewhere.toRealPath().toString());
    assertThat(reader.latest("run-9")).isEmpty();
  }

  @Test
  void refusesFileSymlinkedFromInsideACheckpoint() throws Exception {
    Path outside = tmp.resolve("optimizer-elsewhere.bin");
    Files.move(file("optimizer.bin"), outside);
    Files.createSymbolicLink(file("optimizer.bin"), outside);

    assertRefused("run-1/step-20", Reason.OUTSIDE_ROOT).hasMessageContaining("symbolic link");
  }

  @Test
  void refusesLocationWithoutCheckpoint() {
    assertRefused("run-1/step-21", Reason.NOT_FOUND);
    assertRefused("", Reason.NOT_FOUND);
  }

  @Test
  void manifestRecordsEverythingTheTrainerNeeds() throws Exception {
    String json = Files.readString(file(CheckpointLayout.MANIFEST_FILE), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"architecture\": \"resnet18-w4\"")
        .contains("\"runId\": \"run-1\"")
        .contains("\"step\": 20")
        .contains("\"imagesSeen\": 1280")
        .contains("\"topic\": \"rotnet.images\"")
        .contains("\"offset\": 320")
        .contains("\"createdAt\"")
        .contains("\"name\": \"parameters.bin\"")
        .contains("\"name\": \"optimizer.bin\"");
  }

  private Path file(String name) {
    return written.directory().resolve(name);
  }

  private void load(String location, ModelSpec expected) throws CheckpointException {
    try (NDManager manager = NDManager.newBaseManager()) {
      reader.load(location, expected, null, manager);
    }
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String location, Reason reason) {
    return assertThatThrownBy(() -> load(location, CheckpointFixtures.TINY))
        .isInstanceOfSatisfying(
            CheckpointException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
