package io.rotnet.evaluator.service;

import io.rotnet.evaluator.benchmark.SimilarityTopK;
import io.rotnet.schemas.avro.NeighbourBlock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A kNN train-shard task's neighbour lists as {@link NeighbourBlock}s of whole queries, each
 * small enough for one Kafka record (ImageNet's 50,000 queries x 200 neighbours are 80 MB; a
 * broker takes 1 MB records by default).
 */
public final class NeighbourBlocks {
  /** Bytes of indices and similarities per block: half the brokers' default record limit. */
  public static final int DEFAULT_MAX_BYTES = 512 * 1024;
  private static final int BYTES_PER_NEIGHBOUR = Integer.BYTES + Float.BYTES;

  private NeighbourBlocks() {}

  /** At least one block, each of at most {@code maxBytes} of lists (or one query's, if larger). */
  public static List<NeighbourBlock> split(SimilarityTopK.Neighbours neighbours, int maxBytes) {
    int k = neighbours.k();
    int queries = neighbours.queries();
    int perBlock = k == 0 ? Math.max(1, queries) : Math.max(1, maxBytes / (k * BYTES_PER_NEIGHBOUR));
    List<NeighbourBlock> blocks = new ArrayList<>();
    for (int first = 0; first < queries || blocks.isEmpty(); first += perBlock) {
      int count = Math.min(perBlock, queries - first);
      ByteBuffer indices = ByteBuffer.allocate(count * k * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer similarities = ByteBuffer.allocate(count * k * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int q = first; q < first + count; q++) {
        for (int r = 0; r < k; r++) {
          indices.putInt(neighbours.index(q, r));
          similarities.putFloat(neighbours.similarity(q, r));
        }
      }
      blocks.add(NeighbourBlock.newBuilder().setQueries(queries).setFirstQuery(first).setCount(count).setK(k)
          .setIndices(indices.flip()).setSimilarities(similarities.flip()).build());
    }
    return blocks;
  }

  /** The lists of one block's queries; a block whose sizes disagree is refused. */
  public static SimilarityTopK.Neighbours decode(NeighbourBlock block) {
    int entries = Math.multiplyExact(block.getCount(), block.getK());
    ByteBuffer indices = block.getIndices().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer similarities = block.getSimilarities().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (block.getCount() < 0 || block.getK() < 0 || indices.remaining() != entries * Integer.BYTES
        || similarities.remaining() != entries * Float.BYTES) {
      throw new IllegalArgumentException("a neighbour block of " + block.getCount() + " x " + block.getK()
          + " holds " + indices.remaining() + " index and " + similarities.remaining() + " similarity bytes");
    }
    int[] outIndices = new int[entries];
    float[] outSimilarities = new float[entries];
    indices.asIntBuffer().get(outIndices);
    similarities.asFloatBuffer().get(outSimilarities);
    return new SimilarityTopK.Neighbours(block.getCount(), block.getK(), outIndices, outSimilarities);
  }
}
