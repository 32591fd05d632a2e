package io.rotnet.evaluator.benchmark;

/** Finds, for each query row, the k train rows with the largest dot product, best first. */
@FunctionalInterface
public interface NeighbourSearch {
  SimilarityTopK.Neighbours search(FeatureMatrix train, FeatureMatrix queries, int k, int threads);
}
