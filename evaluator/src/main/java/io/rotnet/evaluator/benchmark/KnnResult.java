package io.rotnet.evaluator.benchmark;

/** kNN accuracy (percent) at one k. */
public record KnnResult(int k, double top1, double top5) {}
