package io.rotnet.evaluator.benchmark;

/**
 * Accuracy of a linear probe on the test split, in percent, and its mean training loss per epoch.
 */
public record ProbeResult(String tap, double top1, double top5, double[] epochLoss) {}
