package io.rotnet.trainer.input;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A fixed set of batch-sized float buffers passed between the reading thread and the training loop:
 * a batch's pixels are decoded straight into one, and the buffer comes back once the training step
 * has copied it to the device. Its size bounds host memory and gives back-pressure.
 */
final class BufferPool {

  private final BlockingQueue<float[]> free;
  private final int length;

  BufferPool(int buffers, int length) {
    if (buffers <= 0 || length <= 0) {
      throw new IllegalArgumentException("buffers and length must be positive");
    }
    this.free = new ArrayBlockingQueue<>(buffers);
    this.length = length;
    for (int i = 0; i < buffers; i++) {
      free.add(new float[length]);
    }
  }

  /** A free buffer, waiting while {@code keepWaiting} holds; null once it no longer does. */
  float[] take(BooleanSupplier keepWaiting) throws InterruptedException {
    while (keepWaiting.getAsBoolean()) {
      float[] buffer = free.poll(100, TimeUnit.MILLISECONDS);
      if (buffer != null) {
        return buffer;
      }
    }
    return null;
  }

  void give(float[] buffer) {
    if (buffer.length != length || !free.offer(buffer)) {
      throw new IllegalStateException("buffer does not belong to this pool");
    }
  }
}
