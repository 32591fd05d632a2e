package io.rotnet.trainer.input;

import java.util.List;
import java.util.Objects;

/**
 * One training step's input in host memory: whole rotation groups, each as four consecutive images
 * with labels 0, 1, 2, 3, normalized float CHW.
 *
 * @param pixels the images, {@code size * 3 * inputSize * inputSize} floats used from index 0 (the
 *     array may be longer and is reused once {@link #release()} is called)
 * @param size rotated images in the batch
 * @param inputSize side of every image
 * @param sampleIds the crops, in batch order (one per group)
 * @param startProgress fractional epoch at the first crop: the learning rate's argument
 * @param endProgress fractional epoch after the last crop
 * @param epoch epoch of the last crop
 * @param position where to resume reading once this batch has been trained on
 * @param recycler returns {@code pixels} to its pool; may be null
 */
public record HostBatch(
    float[] pixels,
    int size,
    int inputSize,
    List<String> sampleIds,
    double startProgress,
    double endProgress,
    int epoch,
    StreamPosition position,
    Runnable recycler) {

  public HostBatch {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(position, "position");
    sampleIds = List.copyOf(sampleIds);
    if (size <= 0 || size % 4 != 0 || sampleIds.size() * 4 != size) {
      throw new IllegalArgumentException(
          "a batch holds 4 images per sample, got "
              + size
              + " images for "
              + sampleIds.size()
              + " samples");
    }
    if (pixels.length < (long) size * 3 * inputSize * inputSize) {
      throw new IllegalArgumentException("pixel buffer too small for " + size + " images");
    }
  }

  /** Rotation labels: 0, 1, 2, 3 repeated per group. */
  public int[] labels() {
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      labels[i] = i % 4;
    }
    return labels;
  }

  /** Hands the pixel buffer back for reuse; the batch must not be read afterwards. */
  public void release() {
    if (recycler != null) {
      recycler.run();
    }
  }
}
