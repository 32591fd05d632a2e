package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

class SimilarityTopKTest {

  @Test
  void matchesABruteForceSortOnSizesThatLeaveEdgeTiles() {
    // 263 train rows and 70 queries: neither a multiple of the 4x4 tile nor of the blocks
    FeatureMatrix train = Clusters.noise(263, 37, 1);
    FeatureMatrix queries = Clusters.noise(70, 37, 2);
    int k = 25;

    SimilarityTopK.Neighbours found = SimilarityTopK.search(train, queries, k, 2);

    for (int q = 0; q < queries.rows(); q++) {
      Integer[] expected = bruteForce(train, queries, q);
      for (int r = 0; r < k; r++) {
        assertThat(found.index(q, r)).as("query %d rank %d", q, r).isEqualTo(expected[r]);
        assertThat((double) found.similarity(q, r))
            .isCloseTo(dot(train, expected[r], queries, q), within(1e-4));
      }
    }
  }

  @Test
  void theEngineSearchFindsTheSameNeighbours() {
    FeatureMatrix train = Clusters.noise(301, 29, 5);
    FeatureMatrix queries = Clusters.noise(45, 29, 6);

    SimilarityTopK.Neighbours java = SimilarityTopK.search(train, queries, 20, 2);
    SimilarityTopK.Neighbours engine = new EngineNeighbourSearch(16).search(train, queries, 20, 2);

    assertThat(engine.k()).isEqualTo(20);
    assertThat(engine.indices()).containsExactly(java.indices());
    for (int i = 0; i < java.similarities().length; i++) {
      assertThat(engine.similarities()[i]).isCloseTo(java.similarities()[i], org.assertj.core.api.Assertions.within(1e-4f));
    }
  }

  @Test
  void kLargerThanTheTrainSetReturnsEveryRowSorted() {
    FeatureMatrix train = Clusters.noise(6, 5, 3);
    FeatureMatrix queries = Clusters.noise(3, 5, 4);

    SimilarityTopK.Neighbours found = SimilarityTopK.search(train, queries, 10, 1);

    assertThat(found.k()).isEqualTo(6);
    for (int q = 0; q < 3; q++) {
      int[] ranks = new int[6];
      for (int r = 0; r < 6; r++) {
        ranks[r] = found.index(q, r);
        if (r > 0) {
          assertThat(found.similarity(q, r)).isLessThanOrEqualTo(found.similarity(q, r - 1));
        }
      }
      assertThat(Arrays.stream(ranks).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  private static Integer[] bruteForce(FeatureMatrix train, FeatureMatrix queries, int q) {
    Integer[] order = new Integer[train.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -dot(train, i, queries, q)));
    return order;
  }

  private static double dot(FeatureMatrix a, int i, FeatureMatrix b, int j) {
    double sum = 0;
    for (int d = 0; d < a.dims(); d++) {
      sum += (double) a.get(i, d) * b.get(j, d);
    }
    return sum;
  }
}
