package io.rotnet.producer;

import org.apache.kafka.clients.producer.RecordMetadata;

/** Told about every image record the broker acknowledged; called on the Kafka I/O thread. */
@FunctionalInterface
public interface AckListener {

  AckListener NONE = (key, rotation, metadata) -> {};

  void acknowledged(String key, int rotation, RecordMetadata metadata);
}
