package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKMergeTest {

  @Test
  void blocksOfDisjointPartsMergedInAnyOrderGiveTheListsOfOneSearchOverAllRows() {
    FeatureMatrix unique = Clusters.noise(200, 23, 11);
    // repeat 63 rows further down the bank: exact ties, which rank the lower index first
    int[] rows = IntStream.concat(IntStream.range(0, 200), IntStream.range(0, 63).map(i -> 3 * i)).toArray();
    FeatureMatrix train = unique.selectRows(rows);
    FeatureMatrix queries = Clusters.noise(70, 23, 12);
    int k = 30;
    SimilarityTopK.Neighbours whole = SimilarityTopK.search(train, queries, k, 2);

    // parts of 12 (fewer rows than k), 100, 51 and 100 train rows; query blocks of 1 to 25
    int[] bounds = {0, 12, 112, 163, 263};
    List<Runnable> adds = new ArrayList<>();
    TopKMerge merge = new TopKMerge(queries.rows(), k);
    Random random = new Random(3);
    for (int p = 0; p + 1 < bounds.length; p++) {
      int first = bounds[p];
      FeatureMatrix part = train.selectRows(IntStream.range(first, bounds[p + 1]).toArray());
      SimilarityTopK.Neighbours lists = SimilarityTopK.search(part, queries, k, 1).offset(first);
      for (int q = 0; q < queries.rows(); ) {
        int count = Math.min(queries.rows() - q, 1 + random.nextInt(25));
        int from = q;
        adds.add(() -> merge.add(from, lists.rows(from, count)));
        q += count;
      }
    }
    Collections.shuffle(adds, random);
    adds.forEach(Runnable::run);

    SimilarityTopK.Neighbours merged = merge.result();
    assertThat(merged.k()).isEqualTo(k);
    assertThat(merged.indices()).containsExactly(whole.indices());
    assertThat(merged.similarities()).containsExactly(whole.similarities());
    boolean tied = false;
    for (int i = 1; i < merged.indices().length; i++) {
      tied |= i % k != 0 && merged.similarities()[i] == merged.similarities()[i - 1];
    }
    assertThat(tied).as("the bank has exact ties").isTrue();
  }

  @Test
  void aBankSmallerThanKKeepsEveryRowAndAMissingBlockIsRefused() {
    FeatureMatrix train = Clusters.noise(9, 5, 1);
    FeatureMatrix queries = Clusters.noise(4, 5, 2);
    TopKMerge merge = new TopKMerge(4, 20);
    merge.add(0, SimilarityTopK.search(train.head(5), queries, 20, 1));
    merge.add(0, SimilarityTopK.search(train.selectRows(new int[] {5, 6, 7, 8}), queries, 20, 1).offset(5).rows(0, 3));

    assertThatThrownBy(merge::result).hasMessageContaining("query 3 has 5 neighbours").hasMessageContaining("missing");

    merge.add(3, SimilarityTopK.search(train.selectRows(new int[] {5, 6, 7, 8}), queries, 20, 1).offset(5).rows(3, 1));
    SimilarityTopK.Neighbours merged = merge.result();
    assertThat(merged.k()).isEqualTo(9);
    assertThat(merged.indices()).containsExactly(SimilarityTopK.search(train, queries, 20, 1).indices());
    assertThatThrownBy(() -> merge.add(3, SimilarityTopK.search(train, queries, 20, 1).rows(0, 2)))
        .hasMessageContaining("outside");
  }
}
