package io.rotnet.evaluator.benchmark;

import java.util.Objects;

/** The train and test features of one tap (feature1..5, avgpool), row-aligned with the labels. */
public record TapFeatures(String tap, FeatureMatrix train, FeatureMatrix test) {

  public TapFeatures {
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.dims() != test.dims()) {
      throw new IllegalArgumentException(
          "tap " + tap + ": train has " + train.dims() + " dims, test " + test.dims());
    }
  }
}
