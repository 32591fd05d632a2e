package io.rotnet.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRoundTripTest {

  static final ModelSpec SPEC = new ModelSpec(18, 8, 32, 4);

  @TempDir Path root;

  @Test
  void reloadInFreshManagerGivesBitIdenticalOutputs() throws Exception {
    Engine.getInstance().setRandomSeed(11);
    float[] before;
    float[] inputs;
    WrittenCheckpoint written;
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(SPEC, manager);
      // a few training-mode passes move the BN running statistics away from their defaults,
      // so the comparison also covers them
      ParameterStore store = new ParameterStore(manager, false);
      for (int i = 0; i < 3; i++) {
        try (NDManager step = manager.newSubManager()) {
          model.forward(store, new NDList(step.randomNormal(SPEC.inputShape(8)).add(1f)), true);
        }
      }
      NDArray images = manager.randomNormal(SPEC.inputShape(4));
      inputs = images.toFloatArray();
      before = model.forward(store, new NDList(images), false).singletonOrThrow().toFloatArray();

      written =
          new CheckpointWriter(root, Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC))
              .write(
                  model,
                  SPEC,
                  CheckpointMetadata.builder()
                      .setRunId("run-1")
                      .setStep(120)
                      .optEpoch(3)
                      .optImagesSeen(3840)
                      .optPreset("tiny")
                      .addConsumedOffset("rotnet.images", 0, 960)
                      .addConsumedOffset("rotnet.images", 1, 955)
                      .build(),
                  Map.of("optimizer.bin", CheckpointPayload.ofBytes("momentum".getBytes(StandardCharsets.UTF_8))));
    }

    assertThat(written.directory()).isEqualTo(root.resolve("run-1").resolve("step-120"));
    assertThat(written.location()).isEqualTo("run-1/step-120");
    assertThat(written.manifestSha256())
        .isEqualTo(Sha256.of(written.directory().resolve("manifest.json")));
    long onDisk;
    try (Stream<Path> files = Files.list(written.directory())) {
      onDisk = files.mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(written.totalBytes()).isEqualTo(onDisk);
    try (Stream<Path> runEntries = Files.list(root.resolve("run-1"))) {
      assertThat(runEntries.map(p -> p.getFileName().toString())).containsExactly("step-120");
    }

    try (NDManager fresh = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded =
          new CheckpointReader(root).load(written.location(), SPEC, written.manifestSha256(), fresh);
      NDArray images = fresh.create(inputs, SPEC.inputShape(4));
      float[] after =
          loaded
              .model()
              .forward(new ParameterStore(fresh, false), new NDList(images), false)
              .singletonOrThrow()
              .toFloatArray();

      assertThat(after).containsExactly(before);
      CheckpointManifest manifest = loaded.manifest();
      assertThat(manifest.spec()).isEqualTo(SPEC);
      assertThat(manifest.progress().consumedOffsets())
          .containsExactly(
              new ConsumedOffset("rotnet.images", 0, 960), new ConsumedOffset("rotnet.images", 1, 955));
      assertThat(manifest.progress().preset()).isEqualTo("tiny");
      assertThat(manifest.epoch()).isEqualTo(3);
      assertThat(manifest.progress().imagesSeen()).isEqualTo(3840);
      assertThat(manifest.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
      assertThat(new String(loaded.checkpoint().readFile("optimizer.bin"), StandardCharsets.UTF_8))
          .isEqualTo("momentum");
    }
  }

  @Test
  void loadsUnderFileUriAndAbsolutePath() throws Exception {
    WrittenCheckpoint written = CheckpointFixtures.write(root, "run-a", 5);
    CheckpointReader reader = new CheckpointReader(root);

    assertThat(reader.verify(written.directory().toUri().toString(), null).location())
        .isEqualTo("run-a/step-5");
    assertThat(reader.verify(written.directory().toString(), written.manifestSha256()).step())
        .isEqualTo(5);
  }

  @Test
  void refusesToOverwriteAnExistingStep() throws Exception {
    CheckpointFixtures.write(root, "run-a", 5);

    assertThatThrownBy(() -> CheckpointFixtures.write(root, "run-a", 5))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void latestSkipsBrokenAndPartialCheckpoints() throws Exception {
    CheckpointFixtures.write(root, "run-a", 10);
    WrittenCheckpoint newest = CheckpointFixtures.write(root, "run-a", 30);
    WrittenCheckpoint broken = CheckpointFixtures.write(root, "run-a", 40);
    CheckpointFixtures.flipByte(broken.directory().resolve(CheckpointLayout.PARAMETERS_FILE), 100);
    // what a crash mid-write leaves behind: a dot-named directory, never a step-N one
    Files.createDirectories(root.resolve("run-a").resolve(".partial-step-50-123"));
    Files.writeString(root.resolve("run-a").resolve(".partial-step-50-123").resolve("parameters.bin"), "x");

    CheckpointReader reader = new CheckpointReader(root);

    assertThat(reader.latest("run-a")).hasValueSatisfying(cp -> {
      assertThat(cp.location()).isEqualTo("run-a/step-30");
      assertThat(cp.manifestSha256()).isEqualTo(newest.manifestSha256());
    });
    assertThat(reader.latest("run-b")).isEmpty();
    assertThat(reader.list("run-a")).extracting(VerifiedCheckpoint::location)
        .containsExactly("run-a/step-30", "run-a/step-10");
  }
}
