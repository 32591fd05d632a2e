package io.rotnet.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.checkpoint.CheckpointLayout;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointPayload;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.trainer.input.StreamPosition;
import io.rotnet.trainer.optim.MomentumState;
import io.rotnet.trainer.precision.Precision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCheckpointsTest {

  private static final ModelSpec SPEC = ModelSpec.of("resnet18-w8", 32);

  @TempDir Path root;
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private RotNetModel model(int seed) {
    Engine.getInstance().setRandomSeed(seed);
    return RotNetModel.newInitialized(SPEC, manager);
  }

  private static TrainerState state(long step, OptionalInt boundary) {
    return new TrainerState(
        step,
        step * 16,
        step / 10.0,
        StreamPosition.decode("images 0 " + step * 16 + "\n"),
        boundary,
        "rotnet-tiny-cpu",
        1.0,
        0.5,
        Precision.FP32,
        Optional.empty());
  }

  private static MomentumState momentum(RotNetModel model, float value) {
    Map<String, MomentumState.Buffer> buffers = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getValue().requiresGradient()) {
        long[] shape = p.getValue().getArray().getShape().getShape();
        float[] values = new float[Math.toIntExact(p.getValue().getArray().size())];
        java.util.Arrays.fill(values, value);
        buffers.put(p.getKey(), new MomentumState.Buffer(shape, values));
      }
    }
    return new MomentumState(buffers);
  }

  private static float[] firstWeights(RotNetModel model) {
    return model.getParameters().get(0).getValue().getArray().toFloatArray();
  }

  @Test
  void resumesFromTheNewestCheckpointThatVerifiesAndParses() throws Exception {
    RunCheckpoints checkpoints = new RunCheckpoints(root, "run");
    RotNetModel two = model(2);
    checkpoints.write(two, SPEC, state(2, OptionalInt.empty()), momentum(two, 0.25f));
    RotNetModel four = model(4);
    checkpoints.write(four, SPEC, state(4, OptionalInt.of(1)), momentum(four, 0.5f));

    RotNetModel target = model(9);
    ResumePoint newest = checkpoints.resume(target, manager).orElseThrow();
    assertThat(newest.state()).isEqualTo(state(4, OptionalInt.of(1)));
    assertThat(newest.momentum()).isEqualTo(momentum(four, 0.5f));
    assertThat(firstWeights(target)).containsExactly(firstWeights(four));

    // A checkpoint whose files verify but whose trainer state is not ours is passed over...
    RotNetModel six = model(6);
    new CheckpointWriter(root)
        .write(
            six,
            SPEC,
            CheckpointMetadata.builder().setRunId("run").setStep(6).build(),
            Map.of(
                RunCheckpoints.MOMENTUM_FILE,
                momentum(six, 1f)::write,
                TrainerState.FILE,
                CheckpointPayload.ofBytes("format=7\n".getBytes(StandardCharsets.UTF_8))));
    // ...and so is one whose parameters were tampered with.
    Path parameters =
        root.resolve("run").resolve("step-4").resolve(CheckpointLayout.PARAMETERS_FILE);
    byte[] bytes = Files.readAllBytes(parameters);
    bytes[bytes.length - 1] ^= 1;
    Files.write(parameters, bytes);

    RotNetModel again = model(9);
    ResumePoint fallback = checkpoints.resume(again, manager).orElseThrow();
    assertThat(fallback.location()).isEqualTo("run/step-2");
    assertThat(fallback.state().step()).isEqualTo(2);
    assertThat(firstWeights(again)).containsExactly(firstWeights(two));
  }

  @Test
  void aRunWithoutCheckpointsStartsFresh() throws Exception {
    assertThat(new RunCheckpoints(root, "empty").resume(model(1), manager))
        .isEqualTo(Optional.empty());
  }

  @Test
  void pruningKeepsTheLastAndTheMilestones() throws Exception {
    RunCheckpoints checkpoints = new RunCheckpoints(root, "run");
    RotNetModel model = model(1);
    MomentumState none = MomentumState.empty();
    checkpoints.write(model, SPEC, state(10, OptionalInt.of(1)), none);
    checkpoints.write(model, SPEC, state(20, OptionalInt.of(2)), none);
    checkpoints.write(model, SPEC, state(25, OptionalInt.empty()), none);
    checkpoints.write(model, SPEC, state(30, OptionalInt.of(3)), none);
    checkpoints.write(model, SPEC, state(35, OptionalInt.empty()), none);

    assertThat(checkpoints.prune(new RetentionPolicy(2, 2))).containsExactly(10L, 25L);
    try (var dirs = Files.list(root.resolve("run"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(List.of("step-20", "step-30", "step-35"));
    }
  }
}
