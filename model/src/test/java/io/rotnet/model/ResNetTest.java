package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResNetTest {

  private NDManager manager;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void resnet50BackboneHasTorchvisionParameterCount() {
    ResNet backbone = ResNet.builder().setDepth(50).build();
    backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));

    // torchvision resnet50 has 25,557,032 parameters, of which its fc layer holds 2,049,000
    assertThat(RotNetModel.countParameters(backbone)).isEqualTo(23_508_032L);
  }

  @Test
  void resnet18BackboneHasTorchvisionParameterCount() {
    ResNet backbone = ResNet.builder().setDepth(18).build();
    backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));

    // torchvision resnet18: 11,689,512 parameters minus 513,000 in fc
    assertThat(RotNetModel.countParameters(backbone)).isEqualTo(11_176_512L);
  }

  @Test
  void rotNetModelAddsTheFourWayHead() {
    RotNetModel model = RotNetModel.newInitialized(ModelSpec.resnet50().withInputSize(64), manager);

    assertThat(RotNetModel.countParameters(model)).isEqualTo(23_508_032L + 2048 * 4 + 4);
  }

  @Test
  void initialisationFollowsTorchvision() {
    RotNetModel model = RotNetModel.newInitialized(ModelSpec.resnet50().withInputSize(64), manager);

    for (Pair<String, Parameter> p : model.getParameters()) {
      Parameter parameter = p.getValue();
      NDArray array = parameter.getArray();
      switch (parameter.getType()) {
        case GAMMA, RUNNING_VAR -> assertThat(array.eq(1f).all().getBoolean()).as(p.getKey()).isTrue();
        case BETA, RUNNING_MEAN, BIAS ->
            assertThat(array.eq(0f).all().getBoolean()).as(p.getKey()).isTrue();
        default -> {}
      }
    }
    // Kaiming normal, fan-out mode: std = sqrt(2 / (out_channels * kernel area))
    NDArray stemWeight = parameter(model, "backbone_conv1_weight");
    assertThat(stemWeight.getShape()).isEqualTo(new Shape(64, 3, 7, 7));
    assertThat(std(stemWeight)).isCloseTo(Math.sqrt(2.0 / (64 * 49)), within(0.001));
    NDArray wide = parameter(model, "backbone_layer4_block0_conv2_weight");
    assertThat(std(wide)).isCloseTo(Math.sqrt(2.0 / (512 * 9)), within(0.0003));
    NDArray head = parameter(model, "head_fc_weight");
    assertThat(head.getShape()).isEqualTo(new Shape(4, 2048));
    assertThat(std(head)).isCloseTo(0.01, within(0.0005));
    assertThat(head.mean().getFloat()).isCloseTo(0f, within(0.0005f));
  }

  @Test
  void tapsAtReferenceInputHaveBenchmarkShapes() {
    RotNetModel model = RotNetModel.newInitialized(ModelSpec.resnet50(), manager);
    ParameterStore store = new ParameterStore(manager, false);
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomNormal(new Shape(1, 3, 224, 224));
      NDList taps = model.backbone().forward(store, new NDList(images), false);

      assertThat(taps.getShapes())
          .containsExactly(
              new Shape(1, 64, 112, 112),
              new Shape(1, 256, 56, 56),
              new Shape(1, 512, 28, 28),
              new Shape(1, 1024, 14, 14),
              new Shape(1, 2048, 7, 7),
              new Shape(1, 2048));
      assertThat(model.backbone().getOutputShapes(new Shape[] {images.getShape()}))
          .containsExactly(taps.getShapes());
      NDList pooled = FeatureTaps.pool(taps);
      assertThat(pooled.getShapes())
          .containsExactly(
              new Shape(1, 9216), new Shape(1, 9216), new Shape(1, 8192), new Shape(1, 9216),
              new Shape(1, 8192));
      for (Tap tap : Tap.spatial()) {
        assertThat(tap.dims(model.spec())).isEqualTo(pooled.get(tap.index()).getShape().get(1));
        assertThat(tap.featureSize(224)).isEqualTo(taps.get(tap.index()).getShape().get(2));
      }
      // feature1 uses the reference AvgPool2d(10, 10, padding 4), zero padding counted: the
      // top-left cell averages rows and columns 0..5 over a 10x10 window
      NDArray feature1 = taps.get(0);
      float corner = feature1.get("0,0,0:6,0:6").sum().getFloat() / 100f;
      assertThat(pooled.get(0).getFloat(0, 0)).isCloseTo(corner, within(1e-4f));
      // and the pooled avgpool tap is what the lean path returns
      NDArray lean = model.backbone().forwardPooled(store, images, false);
      assertThat(lean.getShape()).isEqualTo(new Shape(1, 2048));
      assertThat(lean.sub(taps.get(5)).abs().max().getFloat()).isLessThan(1e-5f);
      NDArray logits = model.forward(store, new NDList(images), false).singletonOrThrow();
      assertThat(logits.getShape()).isEqualTo(new Shape(1, 4));
    }
  }

  @Test
  void tapsKeepTheirGridsAtOtherInputSizes() {
    ModelSpec spec = new ModelSpec(50, 16, 72, 4);
    RotNetModel model = RotNetModel.newInitialized(spec, manager);
    ParameterStore store = new ParameterStore(manager, false);
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomNormal(new Shape(2, 3, 72, 72));
      NDList taps = model.backbone().forward(store, new NDList(images), false);

      assertThat(taps.getShapes())
          .containsExactly(
              new Shape(2, 4, 36, 36),
              new Shape(2, 16, 18, 18),
              new Shape(2, 32, 9, 9),
              new Shape(2, 64, 5, 5),
              new Shape(2, 128, 3, 3),
              new Shape(2, 128));
      NDList pooled = FeatureTaps.pool(taps);
      assertThat(pooled.getShapes())
          .containsExactly(
              new Shape(2, 4 * 144),
              new Shape(2, 16 * 36),
              new Shape(2, 32 * 16),
              new Shape(2, 64 * 9),
              new Shape(2, 128 * 4));
      for (Tap tap : Tap.spatial()) {
        assertThat(tap.dims(spec)).isEqualTo(pooled.get(tap.index()).getShape().get(1));
        assertThat(tap.featureSize(72)).isEqualTo(taps.get(tap.index()).getShape().get(2));
      }
    }
  }

  @Test
  void basicBlockNetworkRunsOnTheSmallestInput() {
    ModelSpec spec = new ModelSpec(18, 8, 32, 4);
    RotNetModel model = RotNetModel.newInitialized(spec, manager);
    ParameterStore store = new ParameterStore(manager, false);
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomNormal(spec.inputShape(3));
      NDList taps = model.backbone().forward(store, new NDList(images), false);
      assertThat(taps.get(4).getShape()).isEqualTo(new Shape(3, 64, 1, 1));
      // a 1x1 map is replicated into the 2x2 grid, as PyTorch's adaptive pooling does
      NDArray feature5 = FeatureTaps.pool(Tap.FEATURE5, taps.get(4));
      assertThat(feature5.getShape()).isEqualTo(new Shape(3, 256));
      assertThat(model.forward(store, new NDList(images), false).head().getShape())
          .isEqualTo(new Shape(3, 4));
    }
  }

  /** Finds a parameter by its path without DJL's numeric child prefixes ("02head" -> "head"). */
  private static NDArray parameter(RotNetModel model, String path) {
    NDArray found = null;
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getKey().replaceAll("(^|_)\\d\\d", "$1").equals(path)) {
        assertThat(found).as("unique " + path).isNull();
        found = p.getValue().getArray();
      }
    }
    assertThat(found).as(path).isNotNull();
    return found;
  }

  private static double std(NDArray x) {
    NDArray centred = x.sub(x.mean());
    return Math.sqrt(centred.mul(centred).mean().getFloat());
  }
}
