package io.rotnet.schemas.dlq;

import org.apache.kafka.common.KafkaException;

/**
 * A dead letter could not be written. The refused record must then not be committed: stopping is
 * better than losing it.
 */
public class DeadLetterException extends KafkaException {

  private static final long serialVersionUID = 1L;

  public DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
