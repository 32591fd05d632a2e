package io.rotnet.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StreamPositionTest {

  @Test
  void encodesAndDecodesEveryPartition() {
    StreamPosition position =
        new StreamPosition(
            Map.of(
                new TopicPartition("rotnet.images", 1),
                    new StreamPosition.PartitionPosition(
                        40, new TreeSet<>(java.util.List.of(41L, 44L))),
                new TopicPartition("rotnet.images", 0),
                    new StreamPosition.PartitionPosition(17, new TreeSet<>())));
    String text = position.encode();
    assertThat(text).isEqualTo("rotnet.images 0 17\nrotnet.images 1 40 41,44\n");
    assertThat(StreamPosition.decode(text)).isEqualTo(position);
    assertThat(position.nextOffsets().values()).containsExactly(17L, 40L);
  }

  @Test
  void refusesMalformedText() {
    assertThatThrownBy(() -> StreamPosition.decode("rotnet.images zero 1"))
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> StreamPosition.decode("rotnet.images 0 10 3"))
        .hasMessageContaining("before next");
  }
}
