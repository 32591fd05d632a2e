package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.model.checkpoint.CheckpointMetadata;
import io.rotnet.model.checkpoint.CheckpointReader;
import io.rotnet.model.checkpoint.CheckpointWriter;
import io.rotnet.model.checkpoint.LoadedCheckpoint;
import io.rotnet.model.checkpoint.WrittenCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkInNetworkTest {

  @TempDir Path root;

  /**
   * The reference NetworkInNetwork.py with num_stages=4, num_classes=4, by hand (bias-free convs,
   * BN weight + bias per channel):
   *
   * <pre>
   * block1: 5x5 3->192 = 14,400 + BN 384; 1x1 192->160 = 30,720 + BN 320; 1x1 160->96 = 15,360 + BN 192  =  61,376
   * block2: 5x5 96->192 = 460,800 + 384; 2 x (1x1 192->192 = 36,864 + 384)                              = 535,680
   * block3: 3x3 192->192 = 331,776 + 384; 2 x (36,864 + 384)                                             = 406,656
   * block4: same as block3                                                                               = 406,656
   * backbone                                                                                             = 1,410,368
   * classifier Linear(192 -> 4) = 768 + 4                                                                =       772
   * </pre>
   *
   * {@code src/test/resources/nin/nin_reference.py} restates the definition in torch and prints
   * the same 1,410,368 and 772.
   */
  @Test
  void parameterCountIsTheReferenceDefinitions() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(ModelSpec.of("nin4", 32), manager);

      assertThat(RotNetModel.countParameters(model.backbone())).isEqualTo(1_410_368L);
      assertThat(RotNetModel.countParameters(model)).isEqualTo(1_410_368L + 772);
      assertThat(model.spec().architecture()).isEqualTo("nin4");
    }
  }

  @Test
  void tapsAreTheBlocksAndTheLeanPathMatchesThem() {
    Engine.getInstance().setRandomSeed(3);
    ModelSpec spec = ModelSpec.of("nin4-w48", 32);
    assertThat(spec.widthDivisor()).isEqualTo(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(spec, manager);
      // width/4: 91,664 backbone parameters per nin_reference.py
      assertThat(RotNetModel.countParameters(model.backbone())).isEqualTo(91_664L);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray images = manager.randomNormal(new Shape(2, 3, 32, 32));
      NDList taps = model.backbone().forward(store, new NDList(images), false);

      assertThat(taps.getShapes())
          .containsExactly(
              new Shape(2, 24, 16, 16),
              new Shape(2, 48, 8, 8),
              new Shape(2, 48, 4, 4),
              new Shape(2, 48, 4, 4),
              new Shape(2, 48));
      assertThat(model.backbone().getOutputShapes(new Shape[] {images.getShape()}))
          .containsExactly(taps.getShapes());
      // ReLU outputs, max-pooled after block1: nothing negative
      assertThat(taps.get(0).min().getFloat()).isGreaterThanOrEqualTo(0f);
      NDArray lean = model.backbone().forwardPooled(store, images, false);
      assertThat(lean.sub(taps.get(4)).abs().max().getFloat()).isLessThan(1e-5f);
      assertThat(taps.get(3).mean(new int[] {3}).mean(new int[] {2}).sub(taps.get(4)).abs().max().getFloat())
          .isLessThan(1e-5f);
      assertThat(model.logits(store, images, false).getShape()).isEqualTo(new Shape(2, 4));
    }
  }

  @Test
  void threeBlocksSkipThePoolAfterBlock3() {
    ModelSpec spec = ModelSpec.of("nin3-w24", 32);
    assertThat(NetworkInNetwork.blockSide(spec, 3, 32)).isEqualTo(8);
    assertThat(NetworkInNetwork.blockSide(ModelSpec.of("nin4", 32), 3, 32)).isEqualTo(4);
    assertThatThrownBy(() -> ModelSpec.of("nin7", 32)).hasMessageContaining("3 to 5 blocks");
    assertThatThrownBy(() -> ModelSpec.of("nin4-w50", 32)).hasMessageContaining("divide 192");
  }

  @Test
  void roundTripsThroughTheCheckpointFormat() throws Exception {
    Engine.getInstance().setRandomSeed(5);
    ModelSpec spec = ModelSpec.of("nin4-w24", 32);
    float[] before;
    float[] inputs;
    WrittenCheckpoint written;
    try (NDManager manager = NDManager.newBaseManager()) {
      RotNetModel model = RotNetModel.newInitialized(spec, manager);
      ParameterStore store = new ParameterStore(manager, false);
      model.forward(store, new NDList(manager.randomNormal(spec.inputShape(8)).add(1f)), true);
      NDArray images = manager.randomNormal(spec.inputShape(2));
      inputs = images.toFloatArray();
      before = model.logits(store, images, false).toFloatArray();
      written = new CheckpointWriter(root).write(model, spec,
          CheckpointMetadata.builder().setRunId("nin").setStep(1).build(), Map.of());
    }
    try (NDManager fresh = NDManager.newBaseManager()) {
      LoadedCheckpoint loaded = new CheckpointReader(root).load(written.location(), null, written.manifestSha256(), fresh);
      assertThat(loaded.manifest().spec()).isEqualTo(spec);
      assertThat(loaded.manifest().architecture()).isEqualTo("nin4-w24");
      NDArray images = fresh.create(inputs, spec.inputShape(2));
      assertThat(loaded.model().logits(new ParameterStore(fresh, false), images, false).toFloatArray())
          .containsExactly(before);
    }
  }
}
