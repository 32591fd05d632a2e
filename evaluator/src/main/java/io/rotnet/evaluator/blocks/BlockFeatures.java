package io.rotnet.evaluator.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.evaluator.benchmark.Parallel;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.evaluator.dataset.Preprocessing;
import io.rotnet.model.Backbone;
import io.rotnet.model.GradMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The whole feature maps of every block of a frozen backbone (inference mode, BN with its running
 * statistics), flattened per image as the reference's classifiers read them: no pooling. A
 * network-in-network's blocks are block1..blockN; a ResNet's are its taps feature1..feature5.
 *
 * <p>Each block of a split is one float array of images x C x H x W values, so a split must fit
 * in one Java array per block (CIFAR-10 at full width: 50,000 x 24,576 for block1 does not; the
 * CPU widths and subsets do); larger inputs are refused before anything is extracted.
 */
public final class BlockFeatures {

  /** Shape of one block's map. */
  public record BlockShape(String name, int channels, int height, int width) {
    public int dims() {
      return channels * height * width;
    }
  }

  /** One split's features: {@code values.get(b)} holds images x dims(b) floats, row-major. */
  public record Split(List<BlockShape> blocks, List<float[]> values, int[] labels) {
    public int size() {
      return labels.length;
    }

    /** Rows {@code from..from+count} of block {@code b}. */
    float[] rows(int b, int[] order, int from, int count) {
      int dims = blocks.get(b).dims();
      float[] out = new float[count * dims];
      float[] all = values.get(b);
      for (int i = 0; i < count; i++) {
        System.arraycopy(all, order[from + i] * dims, out, i * dims, dims);
      }
      return out;
    }
  }

  private BlockFeatures() {}

  /** Shapes of the blocks for a square input of {@code inputSize}. */
  public static List<BlockShape> shapes(Backbone backbone, int inputSize) {
    Shape[] outputs = backbone.getOutputShapes(new Shape[] {new Shape(1, 3, inputSize, inputSize)});
    String prefix = backbone.spec().isNin() ? "block" : "feature";
    List<BlockShape> shapes = new ArrayList<>();
    for (int b = 0; b < outputs.length - 1; b++) { // the last output is the global average pool
      Shape s = outputs[b];
      shapes.add(new BlockShape(prefix + (b + 1), (int) s.get(1), (int) s.get(2), (int) s.get(3)));
    }
    return shapes;
  }

  /**
   * Runs every image of {@code images} through {@code backbone} in batches and keeps every block.
   *
   * @param progress receives a line about every 30 s
   */
  public static Split extract(Backbone backbone, NDManager manager, ImageSource images, int[] labels,
      Preprocessing view, int batchSize, String what, Consumer<String> progress) {
    GradMode.disableOnThisThread();
    int total = images.size();
    List<BlockShape> shapes = shapes(backbone, view.crop());
    List<float[]> values = new ArrayList<>();
    for (BlockShape shape : shapes) {
      long length = (long) total * shape.dims();
      if (length > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(what + ": " + total + " images x " + shape.dims() + " values of "
            + shape.name() + " do not fit in one array; use fewer images or a narrower network");
      }
      values.add(new float[(int) length]);
    }
    int perImage = view.valuesPerImage();
    long started = System.nanoTime();
    long lastLog = started;
    for (int start = 0; start < total; start += batchSize) {
      int count = Math.min(batchSize, total - start);
      float[] pixels = new float[count * perImage];
      int first = start;
      Parallel.forEach(count, Math.max(1, Parallel.defaultThreads()), i -> view.apply(images.read(first + i), pixels, i * perImage));
      try (NDManager batch = manager.newSubManager()) {
        NDArray input = batch.create(pixels, new Shape(count, 3, view.crop(), view.crop()));
        NDList outputs = backbone.forward(new ParameterStore(batch, false), new NDList(input), false);
        for (int b = 0; b < shapes.size(); b++) {
          float[] block = outputs.get(b).toFloatArray();
          System.arraycopy(block, 0, values.get(b), start * shapes.get(b).dims(), block.length);
        }
      }
      long now = System.nanoTime();
      if (now - lastLog > 30_000_000_000L) {
        progress.accept(String.format(Locale.ROOT, "%s: features of %d/%d images, %.1f img/s", what,
            start + count, total, (start + count) / ((now - started) / 1e9)));
        lastLog = now;
      }
    }
    return new Split(shapes, values, labels.clone());
  }
}
