package io.rotnet.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  private static RetentionPolicy.Entry step(long step) {
    return new RetentionPolicy.Entry(step, OptionalInt.empty());
  }

  private static RetentionPolicy.Entry boundary(long step, int epoch) {
    return new RetentionPolicy.Entry(step, OptionalInt.of(epoch));
  }

  @Test
  void keepsTheLastFewAndEveryMilestoneEpoch() {
    List<RetentionPolicy.Entry> all =
        List.of(
            step(100),
            boundary(150, 1),
            step(200),
            boundary(300, 2),
            step(400),
            boundary(450, 3),
            boundary(600, 4),
            step(700),
            step(800));
    List<RetentionPolicy.Entry> deleted = new RetentionPolicy(3, 2).toDelete(all);
    assertThat(deleted)
        .extracting(RetentionPolicy.Entry::step)
        .containsExactly(100L, 150L, 200L, 400L, 450L);
  }

  @Test
  void deletesNothingWhileThereAreFewCheckpoints() {
    assertThat(new RetentionPolicy(3, 10).toDelete(List.of(step(1), step(2), step(3)))).isEmpty();
  }
}
