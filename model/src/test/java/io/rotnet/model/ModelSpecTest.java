package io.rotnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelSpecTest {

  @Test
  void architectureNamesRoundTrip() {
    assertThat(ModelSpec.resnet50().architecture()).isEqualTo("resnet50");
    ModelSpec tiny = new ModelSpec(18, 8, 32, 4);
    assertThat(tiny.architecture()).isEqualTo("resnet18-w8");
    assertThat(ModelSpec.of("resnet18-w8", 32)).isEqualTo(tiny);
    assertThat(ModelSpec.of("ResNet50", 224)).isEqualTo(ModelSpec.resnet50());
  }

  @Test
  void channelsFollowTheTorchvisionLayout() {
    ModelSpec r50 = ModelSpec.resnet50();
    assertThat(r50.stemChannels()).isEqualTo(64);
    assertThat(new int[] {r50.stageChannels(1), r50.stageChannels(2), r50.stageChannels(3), r50.stageChannels(4)})
        .containsExactly(256, 512, 1024, 2048);
    ModelSpec r18 = new ModelSpec(18, 1, 224, 4);
    assertThat(r18.featureChannels()).isEqualTo(512);
    assertThat(r18.blocksPerStage()).containsExactly(2, 2, 2, 2);
  }

  @Test
  void rejectsImpossibleSpecs() {
    assertThatThrownBy(() -> new ModelSpec(20, 1, 224, 4)).hasMessageContaining("depth");
    assertThatThrownBy(() -> new ModelSpec(50, 3, 224, 4)).hasMessageContaining("widthDivisor");
    assertThatThrownBy(() -> new ModelSpec(50, 1, 16, 4)).hasMessageContaining("inputSize");
    assertThatThrownBy(() -> ModelSpec.of("vgg16", 224)).hasMessageContaining("unknown architecture");
    assertThatThrownBy(() -> ResNet.builder().build()).hasMessageContaining("setDepth");
  }
}
