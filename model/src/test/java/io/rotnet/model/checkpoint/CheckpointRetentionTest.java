package io.rotnet.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRetentionTest {

  @TempDir Path root;

  @Test
  void keepsTheNewestAndTheLastOfEveryMilestoneEpoch() throws Exception {
    // fixtures put step s in epoch s / 10: steps 5, 15, 19, 25, 35, 45 -> epochs 0, 1, 1, 2, 3, 4
    for (long step : new long[] {5, 15, 19, 25, 35, 45}) {
      CheckpointFixtures.write(root, "run-1", step);
    }
    CheckpointReader reader = new CheckpointReader(root);

    var removed = new CheckpointRetention(2, 2).prune(reader, "run-1");

    // kept: 45 and 35 (newest two), 25 (epoch 2), 5 (epoch 0); dropped: 19 and 15 (epoch 1)
    assertThat(removed)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("step-19", "step-15");
    assertThat(reader.list("run-1"))
        .extracting(VerifiedCheckpoint::step)
        .containsExactly(45L, 35L, 25L, 5L);
    try (Stream<Path> left = Files.list(root.resolve("run-1"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("step-45", "step-35", "step-25", "step-5");
    }
  }
}
