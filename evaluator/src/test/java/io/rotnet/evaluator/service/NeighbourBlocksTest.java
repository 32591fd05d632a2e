package io.rotnet.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.schemas.avro.NeighbourBlock;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourBlocksTest {

  @Test
  void blocksOfWholeQueriesWithinTheByteLimitDecodeToTheSameLists() {
    Random random = new Random(5);
    int queries = 23;
    int k = 7;
    int[] indices = random.ints(queries * k, 0, 1_300_000).toArray();
    float[] similarities = new float[queries * k];
    for (int i = 0; i < similarities.length; i++) {
      similarities[i] = random.nextFloat() * 2 - 1;
    }
    SimilarityTopK.Neighbours lists = new SimilarityTopK.Neighbours(queries, k, indices, similarities);

    List<NeighbourBlock> blocks = NeighbourBlocks.split(lists, 5 * k * 8 + 3); // 5 queries a block

    assertThat(blocks).extracting(NeighbourBlock::getCount).containsExactly(5, 5, 5, 5, 3);
    for (NeighbourBlock block : blocks) {
      assertThat(block.getQueries()).isEqualTo(queries);
      SimilarityTopK.Neighbours decoded = NeighbourBlocks.decode(block);
      SimilarityTopK.Neighbours expected = lists.rows(block.getFirstQuery(), block.getCount());
      assertThat(decoded.indices()).containsExactly(expected.indices());
      assertThat(decoded.similarities()).containsExactly(expected.similarities());
    }
    // a query larger than the limit still travels, alone
    assertThat(NeighbourBlocks.split(lists, 10)).hasSize(queries);
    // an empty shard (no train rows) is still one block
    assertThat(NeighbourBlocks.split(new SimilarityTopK.Neighbours(queries, 0, new int[0], new float[0]), 100))
        .singleElement().satisfies(b -> assertThat(b.getCount()).isEqualTo(queries));
  }

  @Test
  void aBlockWhoseBytesDisagreeWithItsSizesIsRefused() {
    NeighbourBlock block = NeighbourBlock.newBuilder().setQueries(4).setFirstQuery(0).setCount(2).setK(3)
        .setIndices(ByteBuffer.allocate(24)).setSimilarities(ByteBuffer.allocate(20)).build();

    assertThatThrownBy(() -> NeighbourBlocks.decode(block)).hasMessageContaining("24 index and 20 similarity bytes");
  }
}
