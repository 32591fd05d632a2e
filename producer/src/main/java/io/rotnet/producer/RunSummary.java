package io.rotnet.producer;

/**
 * How a producer run ended.
 *
 * @param completedEpochs epochs whose every image was handed to Kafka
 * @param stoppedEarly true when {@link RotNetProducer#stop()} ended the run before its epochs
 */
public record RunSummary(
    long imagesSent,
    long recordsAcked,
    long refused,
    int completedEpochs,
    boolean stoppedEarly,
    double elapsedSeconds) {}
