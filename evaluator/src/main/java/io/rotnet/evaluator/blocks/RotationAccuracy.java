package io.rotnet.evaluator.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.GradMode;
import io.rotnet.model.RotNetModel;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The pretext task's accuracy on held-out images: each image's test view in its four rotations
 * (k quarter turns counter-clockwise, {@code torch.rot90(x, k, dims=[H, W])}, the producer's
 * convention), scored by the RotNet head in inference mode.
 */
public final class RotationAccuracy {

  private RotationAccuracy() {}

  /** Percent of the 4 x images rotated views whose rotation the model predicts. */
  public static double measure(RotNetModel model, NDManager manager, ImageSource images, Preprocessing view,
      int batchSize, Consumer<String> progress) {
    GradMode.disableOnThisThread();
    int total = images.size();
    int perImage = view.valuesPerImage();
    long correct = 0;
    long started = System.nanoTime();
    long lastLog = started;
    for (int start = 0; start < total; start += batchSize) {
      int count = Math.min(batchSize, total - start);
      float[] pixels = new float[count * perImage];
      int first = start;
      Parallel.forEach(count, Math.max(1, Parallel.defaultThreads()), i -> view.apply(images.read(first + i), pixels, i * perImage));
      try (NDManager batch = manager.newSubManager()) {
        NDArray upright = batch.create(pixels, new Shape(count, 3, view.crop(), view.crop()));
        ParameterStore store = new ParameterStore(batch, false);
        for (int k = 0; k < 4; k++) {
          NDArray rotated = k == 0 ? upright : upright.rotate90(k, new int[] {2, 3});
          int[] predicted = model.logits(store, rotated, false).argMax(1).toType(DataType.INT32, false).toIntArray();
          for (int p : predicted) {
            if (p == k) {
              correct++;
            }
          }
        }
      }
      long now = System.nanoTime();
      if (now - lastLog > 30_000_000_000L) {
        progress.accept(String.format(Locale.ROOT, "rotation accuracy: %d/%d images", start + count, total));
        lastLog = now;
      }
    }
    return 100.0 * correct / (4L * total);
  }
}
