package io.rotnet.evaluator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.model.Tap;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BenchmarkSettingsTest {

  @Test
  void protocolDefaultsPerBenchmark() {
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.SVM).taps())
        .containsExactly(Tap.FEATURE1, Tap.FEATURE2, Tap.FEATURE3, Tap.FEATURE4, Tap.FEATURE5);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.KNN).taps()).containsExactly(Tap.AVGPOOL);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.KNN).knnKs()).containsExactly(10, 20, 100, 200);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.LINEAR_MHEAD).effectiveLinearEpochs()).isEqualTo(90);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.LINEAR_AVGPOOL).effectiveLinearEpochs()).isEqualTo(100);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.LINEAR_AVGPOOL_CACHED).withLinearEpochs(5).effectiveLinearEpochs()).isEqualTo(5);
    assertThat(BenchmarkSettings.defaults(BenchmarkKind.LOWSHOT_SVM).lowShotShots()).containsExactly(1, 2, 4, 8, 16, 32, 64, 96);
  }

  @Test
  void namesParseAndNonsenseIsRefused() {
    assertThat(BenchmarkKind.parse(" Lowshot-SVM ")).isEqualTo(BenchmarkKind.LOWSHOT_SVM);
    assertThatThrownBy(() -> BenchmarkKind.parse("linear")).hasMessageContaining("unknown benchmark");
    assertThatThrownBy(() -> BenchmarkSettings.defaults(BenchmarkKind.KNN).withTaps(EnumSet.of(Tap.FEATURE4)))
        .hasMessageContaining("avgpool feature only");
    assertThatThrownBy(() -> BenchmarkSettings.defaults(BenchmarkKind.SVM).withThreads(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
