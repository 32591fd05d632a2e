package io.rotnet.evaluator.linear;

import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.ImageSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Decodes and transforms the images of upcoming batches on CPU worker threads while the engine
 * works on the current one: {@code ahead} batches beyond the current one are submitted, one task per image,
 * each writing its slot of the batch's pixel array. An image that cannot be read leaves its slot
 * out of the batch and is reported to the caller.
 */
final class ImageBatches implements AutoCloseable {

  /** Writes the view of one decoded image; {@code position} is the image's index in the split. */
  @FunctionalInterface
  interface Transform {
    void apply(java.awt.image.BufferedImage image, int position, float[] out, int offset);
  }

  /** The readable images of one batch, in order. */
  record Batch(int index, float[] pixels, int[] images, int count, List<Integer> unreadable, List<String> reasons) {}

  private final ImageSource source;
  private Transform transform;
  private final int valuesPerImage;
  private final ExecutorService workers;
  private final Deque<Pending> pending = new ArrayDeque<>();

  private record Pending(int index, int[] images, float[] pixels, List<Future<String>> tasks) {}

  ImageBatches(ImageSource source, Transform transform, int valuesPerImage, int threads) {
    this.source = source;
    this.transform = transform;
    this.valuesPerImage = valuesPerImage;
    this.workers = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
      Thread thread = new Thread(runnable, "rotnet-linear-view");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The view the following batches get (e.g. the next epoch's). */
  void transform(Transform newTransform) {
    this.transform = newTransform;
  }

  /**
   * The batches {@code first .. count-1} of a list of batches, {@code ahead} prepared beyond the one taken;
   * {@code imagesOf} gives the split positions of a batch.
   */
  Iterable<Batch> batches(int first, int count, int ahead, IntFunction<int[]> imagesOf) {
    return () -> new java.util.Iterator<>() {
      int submitted = first;
      int taken = first;

      @Override
      public boolean hasNext() {
        return taken < count;
      }

      @Override
      public Batch next() {
        // the batch taken now and `ahead` more are in the workers' hands
        while (submitted < count && submitted - taken <= Math.max(1, ahead)) {
          submit(submitted, imagesOf.apply(submitted));
          submitted++;
        }
        taken++;
        return take();
      }
    };
  }

  private void submit(int index, int[] images) {
    float[] pixels = new float[images.length * valuesPerImage];
    List<Future<String>> tasks = new ArrayList<>(images.length);
    Transform view = transform;
    for (int slot = 0; slot < images.length; slot++) {
      int position = images[slot];
      int offset = slot * valuesPerImage;
      tasks.add(workers.submit(() -> {
        try {
          view.apply(source.read(position), position, pixels, offset);
          return null;
        } catch (DatasetException e) {
          return e.getMessage();
        }
      }));
    }
    pending.addLast(new Pending(index, images, pixels, tasks));
  }

  private Batch take() {
    Pending batch = pending.removeFirst();
    List<Integer> unreadable = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int[] kept = new int[batch.images.length];
    int count = 0;
    for (int slot = 0; slot < batch.images.length; slot++) {
      String failure = await(batch.tasks.get(slot));
      if (failure != null) {
        unreadable.add(batch.images[slot]);
        reasons.add(failure);
        continue;
      }
      if (count != slot) {
        System.arraycopy(batch.pixels, slot * valuesPerImage, batch.pixels, count * valuesPerImage, valuesPerImage);
      }
      kept[count++] = batch.images[slot];
    }
    return new Batch(batch.index, batch.pixels, java.util.Arrays.copyOf(kept, count), count, unreadable, reasons);
  }

  private static String await(Future<String> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted while preparing images");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
