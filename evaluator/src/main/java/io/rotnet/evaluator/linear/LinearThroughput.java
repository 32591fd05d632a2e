package io.rotnet.evaluator.linear;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.evaluator.dataset.DatasetSplit;
import io.rotnet.evaluator.dataset.EvalDataset;
import io.rotnet.evaluator.dataset.ImageSource;
import io.rotnet.model.FeatureTaps;
import io.rotnet.model.GradMode;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.ResNet;
import io.rotnet.model.RotNetModel;
import io.rotnet.model.Tap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The throughput figure of the streamed linear evaluation, measured side by side in alternating
 * rounds on one device and batch: the backbone's inference alone on tensors already in memory,
 * then one epoch of the streamed evaluation (JPEG decode, training view, backbone, heads) over
 * the same number of images; plus the per-image costs the projections are built from (one core's
 * decode and view, the heads' SGD step on the engine).
 *
 * @param preset the protocol measured (heads, view, batch; its epochs are not run)
 * @param spec the backbone (ResNet-50 at 224 px for the reference figures)
 * @param images training images per round
 * @param classes classes of the heads (1000 for ImageNet, 205 for Places205)
 * @param imageWidth width of the synthetic JPEGs (ImageNet's average is about 500 x 375)
 * @param imageHeight height of the synthetic JPEGs
 * @param rounds alternating rounds
 * @param workers CPU threads decoding and augmenting
 * @param headsBatch batch of the separate heads measurement (the protocol's 256: a step's update
 *     of the weights is shared by the batch, so the per-image cost falls with it)
 */
public record LinearThroughput(
    LinearPreset preset, ModelSpec spec, int images, int classes, int imageWidth, int imageHeight, int rounds,
    int workers, int headsBatch) {

  /**
   * What one measurement found; times in seconds per image ({@code headsSecondsPerImage} at the
   * rounds' batch, {@code headsSecondsPerImageAtHeadsBatch} at {@code headsBatch}).
   */
  public record Figures(
      double inferenceImagesPerSecond, double streamedImagesPerSecond, double viewSecondsPerImageOneCore,
      double headsSecondsPerImage, double headsSecondsPerImageAtHeadsBatch, double[] inferenceRounds,
      double[] streamedRounds) {

    /** streamed / inference alone: the share of the backbone's speed the whole evaluation keeps. */
    public double ratio() {
      return streamedImagesPerSecond / inferenceImagesPerSecond;
    }
  }

  public Figures measure() throws IOException, InterruptedException {
    GradMode.disableOnThisThread();
    EvalDataset dataset = syntheticDataset();
    Set<Tap> taps = StreamedLinearEvaluation.defaultTaps(preset.heads());
    LinearPreset oneEpoch = preset.derived(preset.name() + "-1e", 1, 0, 0);
    double[] inference = new double[rounds];
    double[] streamed = new double[rounds];
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      ResNet backbone = (ResNet) RotNetModel.newInitialized(spec, manager).backbone();
      StreamedLinearEvaluation evaluation = StreamedLinearEvaluation.builder().setBackbone(backbone)
          .setManager(manager).setPreset(oneEpoch).optTaps(taps).optWorkers(workers).optRequireEveryClass(false).build();
      inferenceAlone(backbone, manager, taps, preset.batchSize()); // warm-up
      for (int r = 0; r < rounds; r++) {
        inference[r] = inferenceAlone(backbone, manager, taps, images);
        streamed[r] = evaluation.run(dataset, "throughput").trainImagesPerSecond();
      }
      double heads = headsSecondsPerImage(manager, taps, preset.batchSize());
      double headsAtBatch = headsBatch == preset.batchSize() ? heads : headsSecondsPerImage(manager, taps, headsBatch);
      double view = viewSecondsPerImage(dataset.train().images());
      return new Figures(median(inference), median(streamed), view, heads, headsAtBatch, inference, streamed);
    }
  }

  /** Images per second of the frozen backbone's forward (and the taps' pooling) alone. */
  private double inferenceAlone(ResNet backbone, NDManager manager, Set<Tap> taps, int count) {
    int side = spec.inputSize();
    int batch = preset.batchSize();
    float[] pixels = new float[batch * 3 * side * side];
    Random random = new Random(2);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    long started = System.nanoTime();
    int done = 0;
    while (done < count) {
      int n = Math.min(batch, count - done);
      try (NDManager step = manager.newSubManager()) {
        NDArray input = step.create(java.util.Arrays.copyOf(pixels, n * 3 * side * side), new Shape(n, 3, side, side));
        ParameterStore store = new ParameterStore(step, false);
        if (taps.equals(Set.of(Tap.AVGPOOL))) {
          backbone.forwardPooled(store, input, false).toFloatArray();
        } else {
          NDList outputs = backbone.forward(store, new NDList(input), false);
          for (Tap tap : taps) {
            FeatureTaps.pool(tap, outputs.get(tap.index())).toFloatArray();
          }
        }
      }
      done += n;
    }
    return count / ((System.nanoTime() - started) / 1e9);
  }

  /** Seconds per image of every head's training step (BN and SGD) on features already pooled. */
  private double headsSecondsPerImage(NDManager manager, Set<Tap> taps, int batch) {
    try (NDManager headManager = manager.newSubManager()) {
      List<LinearHead> heads = new ArrayList<>();
      Random random = new Random(3);
      for (Tap tap : taps) {
        boolean norm = preset.heads() == LinearPreset.Heads.MULTI_HEAD;
        heads.add(new LinearHead(headManager, tap.label(), tap.channels(spec), tap.grid() * tap.grid(), classes, norm, random));
      }
      int steps = 3;
      long elapsed = 0;
      for (int s = 0; s <= steps; s++) {
        try (NDManager step = manager.newSubManager()) {
          heads.forEach(h -> h.attachTo(step));
          int[] labels = new int[batch];
          for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(classes);
          }
          NDArray oneHot = step.create(labels).oneHot(classes);
          List<NDArray> features = new ArrayList<>();
          for (LinearHead head : heads) {
            features.add(step.randomNormal(new Shape(batch, head.dims())));
          }
          long started = System.nanoTime();
          for (int h = 0; h < heads.size(); h++) {
            LinearHead head = heads.get(h);
            NDArray inputs = head.norm ? head.normalizeTraining(features.get(h)) : features.get(h);
            head.step(inputs, oneHot, 0.01, 0.9, true, 1e-4);
          }
          heads.get(heads.size() - 1).weight.toFloatArray(); // wait for the device
          if (s > 0) {
            elapsed += System.nanoTime() - started; // the first step warms up
          }
        }
      }
      return elapsed / 1e9 / (steps * (double) batch);
    }
  }

  /** Seconds per image of decoding and the training view on one thread. */
  private double viewSecondsPerImage(ImageSource source) {
    TrainView view = new TrainView(preset.trainView(), spec.inputSize());
    float[] out = new float[view.valuesPerImage()];
    int count = Math.min(source.size(), 200);
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      view.apply(source.read(i), 1, 0, i, out, 0);
    }
    return (System.nanoTime() - started) / 1e9 / count;
  }

  /** JPEGs of photo-like size and content (smooth colour fields with noise), kept in memory. */
  private EvalDataset syntheticDataset() throws IOException {
    Random random = new Random(4);
    int distinct = Math.min(images, 64);
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      BufferedImage image = new BufferedImage(imageWidth, imageHeight, BufferedImage.TYPE_INT_RGB);
      int r0 = random.nextInt(256);
      int g0 = random.nextInt(256);
      int b0 = random.nextInt(256);
      for (int y = 0; y < imageHeight; y++) {
        for (int x = 0; x < imageWidth; x++) {
          int noise = random.nextInt(40) - 20;
          int r = clamp(r0 + x * 80 / imageWidth + noise);
          int g = clamp(g0 + y * 80 / imageHeight + noise);
          int b = clamp(b0 - (x + y) * 60 / (imageWidth + imageHeight) + noise);
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "jpeg", bytes);
      jpegs.add(bytes.toByteArray());
    }
    ImageSource train = new InMemoryJpegs(jpegs, images);
    ImageSource test = new InMemoryJpegs(jpegs, 2);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("class" + c);
    }
    int[] trainLabels = new int[images];
    for (int i = 0; i < images; i++) {
      trainLabels[i] = i % classes;
    }
    int[] testLabels = {0, 1 % classes};
    // the heads have `classes` outputs; which classes the few images cover does not change the cost
    return new EvalDataset("synthetic", DatasetSplit.singleLabel("synthetic/train", train, names, trainLabels),
        DatasetSplit.singleLabel("synthetic/test", test, names, testLabels), "synthetic");
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** {@code size} images cycling over a few encoded JPEGs, decoded on every read. */
  private record InMemoryJpegs(List<byte[]> jpegs, int size) implements ImageSource {
    @Override
    public BufferedImage read(int index) {
      try {
        return ImageIO.read(new ByteArrayInputStream(jpegs.get(index % jpegs.size())));
      } catch (IOException e) {
        throw new DatasetException("cannot decode synthetic image " + index, e);
      }
    }

    @Override
    public String describe(int index) {
      return "synthetic-" + index;
    }
  }
}
