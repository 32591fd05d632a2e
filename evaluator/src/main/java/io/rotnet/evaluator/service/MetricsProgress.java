package io.rotnet.evaluator.service;

import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.schemas.avro.TrainingMetrics;
import java.time.Instant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a fine-tune's progress to the metrics topic as {@link TrainingMetrics} of a run named
 * after the fine-tune (keyed by it), so the dashboard draws its loss beside the pretraining runs.
 * Sends do not wait: a report never slows the fine-tune, and a failed one is only logged. A
 * fine-tune has no rotation accuracy (NaN) and counts no epochs (0).
 */
public final class MetricsProgress implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsProgress.class);

  private final Producer<String, TrainingMetrics> producer;
  private final String topic;

  /** @param producer a producer of metrics; the caller closes it */
  public MetricsProgress(Producer<String, TrainingMetrics> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public void report(String run, long iteration, long imagesSeen, double loss, double learningRate,
      double imagesPerSecond) {
    TrainingMetrics metrics = TrainingMetrics.newBuilder()
        .setRunId(run).setStep(iteration).setEpoch(0).setLoss(loss).setRotationAccuracy(Double.NaN)
        .setLearningRate(learningRate).setImagesPerSecond(imagesPerSecond).setImagesSeen(imagesSeen)
        .setRecordedAt(Instant.now())
        .build();
    producer.send(new ProducerRecord<>(topic, run, metrics), (metadata, error) -> {
      if (error != null) {
        LOG.warn("progress of {} at iteration {} not sent to {}: {}", run, iteration, topic, error.toString());
      }
    });
  }
}
