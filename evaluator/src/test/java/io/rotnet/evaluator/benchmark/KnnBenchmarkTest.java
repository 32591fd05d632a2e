package io.rotnet.evaluator.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnnBenchmarkTest {

  @Test
  void separableClustersAreClassifiedPerfectlyAtEveryK() {
    Clusters train = Clusters.generate(5, 60, 20, 5.0, 0.5, 1);
    Clusters test = Clusters.generate(5, 20, 20, 5.0, 0.5, 2);

    List<KnnResult> results = KnnBenchmark.builder().optThreads(2).build()
        .evaluate(train.features, train.labels, test.features, test.labels, 5);

    assertThat(results).extracting(KnnResult::k).containsExactly(10, 20, 100, 200);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.top1()).isEqualTo(100.0);
      assertThat(r.top5()).isEqualTo(100.0);
    });
  }

  @Test
  void sharpTemperatureLetsOneCloseNeighbourOutvoteTwoFartherOnes() {
    // query (1, 0); neighbours at cosine 0.90 (class 0), 0.85 and 0.84 (class 1)
    FeatureMatrix train = FeatureMatrix.of(new float[][] {unit(0.90), unit(0.85), unit(0.84), unit(-1)});
    int[] trainLabels = {0, 1, 1, 2};
    FeatureMatrix query = FeatureMatrix.of(new float[][] {{2f, 0f}}); // length does not matter
    int[] truth = {0};

    // exp(0.90/0.07) = 3.8e5 > exp(0.85/0.07) + exp(0.84/0.07) = 3.5e5
    assertThat(top1(train, trainLabels, query, truth, 0.07)).isEqualTo(100.0);
    // with T = 1 the two class-1 votes win: e^0.90 = 2.46 < e^0.85 + e^0.84 = 4.66
    assertThat(top1(train, trainLabels, query, truth, 1.0)).isEqualTo(0.0);
  }

  @Test
  void topFiveCountsTheTrueClassAmongTheFiveBestVotedClasses() {
    // seven classes, one train point each, at decreasing similarity; truth is the 5th best
    float[][] rows = new float[7][];
    int[] labels = new int[7];
    for (int i = 0; i < 7; i++) {
      rows[i] = unit(0.9 - 0.1 * i);
      labels[i] = i;
    }
    FeatureMatrix train = FeatureMatrix.of(rows);
    FeatureMatrix query = FeatureMatrix.of(new float[][] {{1f, 0f}});

    List<KnnResult> fifth = KnnBenchmark.builder().optKs(7).build()
        .evaluate(train, labels, query, new int[] {4}, 7);
    List<KnnResult> sixth = KnnBenchmark.builder().optKs(7).build()
        .evaluate(train, labels, query, new int[] {5}, 7);

    assertThat(fifth.get(0).top1()).isEqualTo(0.0);
    assertThat(fifth.get(0).top5()).isEqualTo(100.0);
    assertThat(sixth.get(0).top5()).isEqualTo(0.0);
  }

  @Test
  void aShardedTrainBankGivesExactlyTheNeighboursOfOneSearchTiesIncluded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Clusters train = Clusters.generate(4, 40, 12, 2.0, 1.5, 3);
    Clusters test = Clusters.generate(4, 9, 12, 2.0, 1.5, 4);
    // duplicate rows across shard borders: equal similarities must rank the lower index first
    float[] data = train.features.rawData().clone();
    System.arraycopy(data, 0, data, 37 * 12, 12);
    System.arraycopy(data, 5 * 12, data, 130 * 12, 12);
    FeatureMatrix bank = FeatureMatrix.wrap(160, 12, data);
    java.nio.file.Path entry = dir.resolve("avgpool.feat");
    try (var writer = io.rotnet.evaluator.features.ShardedFeatureFile.open(entry, 160, 12, 37)) {
      writer.append(data, 0, 160);
      writer.commit();
    }
    var shards = io.rotnet.evaluator.features.ShardedFeatureFile.read(entry);
    KnnBenchmark knn = KnnBenchmark.builder().optKs(1, 7, 50).optThreads(2).build();

    SimilarityTopK.Neighbours whole = knn.neighbours(FeatureShards.of(bank), test.features);
    SimilarityTopK.Neighbours sharded = knn.neighbours(shards, test.features);

    assertThat(shards.shardCount()).isEqualTo(5);
    assertThat(sharded.indices()).containsExactly(whole.indices());
    assertThat(sharded.similarities()).containsExactly(whole.similarities());
    assertThat(knn.evaluate(shards, train.labels, test.features, test.labels, 4))
        .isEqualTo(knn.evaluate(bank, train.labels, test.features, test.labels, 4));
  }

  private static double top1(FeatureMatrix train, int[] labels, FeatureMatrix query, int[] truth, double t) {
    return KnnBenchmark.builder().optKs(3).optTemperature(t).build()
        .evaluate(train, labels, query, truth, 3).get(0).top1();
  }

  private static float[] unit(double cosine) {
    return new float[] {(float) cosine, (float) Math.sqrt(1 - cosine * cosine)};
  }
}
