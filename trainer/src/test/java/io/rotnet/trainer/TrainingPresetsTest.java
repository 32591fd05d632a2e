package io.rotnet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.trainer.precision.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingPresetsTest {

  @Test
  void referencePresetIsMmselfsupsSteplr70e() {
    TrainingPreset preset = TrainingPresets.require("rotnet-resnet50-steplr-70e");
    assertThat(preset.modelSpec().architecture()).isEqualTo("resnet50");
    assertThat(preset.inputSize()).isEqualTo(224);
    assertThat(preset.batchSize()).isEqualTo(512);
    assertThat(preset.groupsPerBatch()).isEqualTo(128);
    assertThat(preset.peakLearningRate()).isEqualTo(0.2);
    assertThat(preset.momentum()).isEqualTo(0.9);
    assertThat(preset.weightDecay()).isEqualTo(1e-4);
    assertThat(preset.warmupEpochs()).isEqualTo(5);
    assertThat(preset.warmupStartFactor()).isEqualTo(0.1);
    assertThat(preset.decayEpochs()).containsExactly(30, 50);
    assertThat(preset.epochs()).isEqualTo(70);
    assertThat(preset.keepEveryEpochs()).isEqualTo(10);
  }

  @Test
  void batchNormRunsPerReplicaBatchOfTheReference() {
    TrainingPreset reference = TrainingPresets.RESNET50_STEPLR_70E;
    assertThat(reference.replicaBatchSize()).isEqualTo(64); // 16 crops x 4 rotations per GPU
    assertThat(reference.partSize()).isEqualTo(64);
    // a smaller batch than the replica's runs whole
    assertThat(reference.toBuilder().batchSize(32).build().partSize()).isEqualTo(32);
    // without a replica batch, the whole batch is one part
    assertThat(TrainingPresets.TINY_CPU.partSize()).isEqualTo(TrainingPresets.TINY_CPU.batchSize());
    assertThatThrownBy(() -> reference.toBuilder().replicaBatchSize(96).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divide the batch");
    assertThatThrownBy(() -> reference.toBuilder().replicaBatchSize(30).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of 4");
  }

  @Test
  void tinyPresetRunsTheSameAlgorithmSmall() {
    TrainingPreset tiny = TrainingPresets.require("rotnet-tiny-cpu");
    assertThat(tiny.inputSize()).isEqualTo(32);
    assertThat(tiny.groupsPerBatch()).isEqualTo(16);
    assertThat(tiny.modelSpec().depth()).isEqualTo(18);
    assertThat(tiny.momentum()).isEqualTo(TrainingPresets.RESNET50_STEPLR_70E.momentum());
    assertThat(tiny.weightDecay()).isEqualTo(TrainingPresets.RESNET50_STEPLR_70E.weightDecay());
  }

  @Test
  void cifarPresetsAreThePapersRecipeAndItsCpuDerivation() {
    TrainingPreset paper = TrainingPresets.require("rotnet-cifar-nin4-200e");
    assertThat(paper.modelSpec().isNin()).isTrue();
    assertThat(paper.modelSpec().depth()).isEqualTo(4);
    assertThat(paper.inputSize()).isEqualTo(32);
    assertThat(paper.groupsPerBatch()).isEqualTo(128);
    assertThat(paper.peakLearningRate()).isEqualTo(0.1);
    assertThat(paper.momentum()).isEqualTo(0.9);
    assertThat(paper.nesterov()).isTrue();
    assertThat(paper.weightDecay()).isEqualTo(5e-4);
    assertThat(paper.warmupEpochs()).isZero();
    assertThat(paper.decayEpochs()).containsExactly(60, 120, 160);
    assertThat(paper.decayFactor()).isEqualTo(0.2);
    assertThat(paper.epochs()).isEqualTo(200);
    assertThat(paper.normalization()).isEqualTo(io.rotnet.trainer.input.ImageNormalization.CIFAR);
    assertThat(LearningRateSchedule.of(paper).at(119.9)).isCloseTo(0.02, org.assertj.core.api.Assertions.within(1e-9));

    TrainingPreset cpu = TrainingPresets.require("rotnet-cifar-nin4-cpu");
    // derived by values: width, epochs (decays at the same fractions), retention
    assertThat(cpu.modelSpec().widthDivisor()).isEqualTo(4);
    assertThat(cpu.epochs()).isEqualTo(8);
    assertThat(cpu.decayEpochs()).containsExactly(2, 5, 6);
    assertThat(cpu.toBuilder().epochs(200).decayEpochs(List.of(60, 120, 160)).keep(3, 20).build())
        .isEqualTo(paper.derive("rotnet-cifar-nin4-cpu", "nin4-w48").build());
    assertThat(TrainingPresets.TINY_CPU.nesterov()).isFalse();
    assertThat(TrainingPresets.TINY_CPU.normalization()).isEqualTo(io.rotnet.trainer.input.ImageNormalization.IMAGENET);
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    assertThat(TrainingPresets.names())
        .containsExactly("rotnet-cifar-nin4-200e", "rotnet-cifar-nin4-cpu", "rotnet-resnet50-steplr-70e",
            "rotnet-tiny-cpu");
    assertThat(TrainingPresets.byName("nope")).isEmpty();
    assertThatThrownBy(() -> TrainingPresets.require("nope"))
        .hasMessageContaining("rotnet-tiny-cpu");
  }

  @Test
  void overridesAreValidatedLikeThePreset() {
    TrainingPreset tiny = TrainingPresets.TINY_CPU;
    assertThat(tiny.toBuilder().batchSize(32).build().peakLearningRate())
        .isEqualTo(tiny.baseLearningRate() * 32 / 512);
    assertThat(tiny.toBuilder().epochs(3).build().epochs()).isEqualTo(3);
    assertThat(tiny.toBuilder().warmupEpochs(0).decayEpochs(List.of(2)).build().decayEpochs())
        .containsExactly(2);
    assertThatThrownBy(() -> tiny.toBuilder().batchSize(30).build())
        .hasMessageContaining("multiple of 4");
    assertThatThrownBy(() -> tiny.toBuilder().inputSize(16).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tiny.toBuilder().keepLast(0).build())
        .hasMessageContaining("keepLast");
  }

  @Test
  void precisionDefaultsToFp32AndIsKeptByOverrides() {
    TrainingPreset tiny = TrainingPresets.TINY_CPU;
    assertThat(tiny.precision()).isEqualTo(Precision.FP32);
    assertThat(TrainingPresets.RESNET50_STEPLR_70E.precision()).isEqualTo(Precision.FP32);
    TrainingPreset half = tiny.toBuilder().precision(Precision.FP16).build();
    assertThat(half.toBuilder().batchSize(32).build().precision()).isEqualTo(Precision.FP16);
    assertThatThrownBy(() -> tiny.toBuilder().precision(null).build())
        .hasMessageContaining("precision");
  }

  @Test
  void precisionParsesTheCommandLineSpelling() {
    assertThat(Precision.parse("fp16")).isEqualTo(Precision.FP16);
    assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
    assertThat(Precision.FP32.label()).isEqualTo("fp32");
    assertThatThrownBy(() -> Precision.parse("fp8")).hasMessageContaining("fp32, bf16, fp16");
  }
}
