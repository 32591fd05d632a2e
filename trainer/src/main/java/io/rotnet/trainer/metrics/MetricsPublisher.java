package io.rotnet.trainer.metrics;

import io.rotnet.schemas.avro.TrainingMetrics;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link TrainingMetrics} keyed by run id without waiting: progress reports must never slow
 * training down; a failed send is logged.
 */
public final class MetricsPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

  private final Producer<String, TrainingMetrics> producer;
  private final String topic;

  /**
   * @param producer a producer of metrics; the caller closes it
   */
  public MetricsPublisher(Producer<String, TrainingMetrics> producer, String topic) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
  }

  public void publish(TrainingMetrics metrics) {
    producer.send(
        new ProducerRecord<>(topic, metrics.getRunId(), metrics),
        (metadata, error) -> {
          if (error != null) {
            LOG.warn(
                "metrics of step {} not sent to {}: {}",
                metrics.getStep(),
                topic,
                error.toString());
          }
        });
  }
}
