package io.rotnet.trainer.input;

import java.time.Duration;
import java.util.Optional;

/** Supplies the training loop with host batches. */
public interface BatchSource extends AutoCloseable {

  /**
   * The next batch, or empty when none arrived within {@code timeout}.
   *
   * @throws IllegalStateException when the source failed; the cause says why
   */
  Optional<HostBatch> next(Duration timeout) throws InterruptedException;

  @Override
  void close();
}
