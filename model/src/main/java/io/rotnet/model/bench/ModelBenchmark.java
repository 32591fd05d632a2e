package io.rotnet.model.bench;

import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.rotnet.model.FeatureTaps;
import io.rotnet.model.ModelSpec;
import io.rotnet.model.RotNetModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of this project's ResNet against DJL's own {@code ResNetV1} of the same depth, side
 * by side in one process: the two models' timed steps alternate, so background load on a shared
 * machine hits both alike and the ratio stays meaningful when the absolute figures do not.
 *
 * <p>Per input size it times (1) feature extraction: inference-mode forward without gradients,
 * for ours the five taps pooled to the benchmark grids; (2) the pooled feature only (ours: the
 * lean path; DJL: its whole forward); (3) a training step: forward, softmax cross-entropy on four
 * classes, backward and an SGD-momentum update, with each step's arrays in a sub-manager.
 */
public final class ModelBenchmark {

  private final ModelBenchSettings settings;
  private final PrintWriter progress;

  public ModelBenchmark(ModelBenchSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every size and returns one result per size and task. */
  public List<ModelBenchResult> run() {
    List<ModelBenchResult> results = new ArrayList<>();
    for (int size : settings.sizes()) {
      results.addAll(runSize(size));
    }
    return results;
  }

  private List<ModelBenchResult> runSize(int size) {
    Engine.getInstance().setRandomSeed(1);
    int batch = settings.batchSize();
    Shape shape = new Shape(batch, 3, size, size);
    ModelSpec spec = new ModelSpec(settings.depth(), 1, size, 4);
    try (Model ours = Model.newInstance("rotnet-resnet", settings.device());
        Model djl = Model.newInstance("djl-resnetv1", settings.device())) {
      RotNetModel oursBlock = RotNetModel.create(spec);
      ours.setBlock(oursBlock);
      Block djlBlock =
          ResNetV1.builder()
              .setImageShape(new Shape(3, size, size))
              .setNumLayers(settings.depth())
              .setOutSize(4)
              .build();
      djl.setBlock(djlBlock);
      try (Trainer oursTrainer = ours.newTrainer(trainingConfig());
          Trainer djlTrainer = djl.newTrainer(trainingConfig())) {
        oursTrainer.initialize(shape);
        djlTrainer.initialize(shape);
        Batch oursData = Batch.random(ours.getNDManager(), shape);
        Batch djlData = Batch.random(djl.getNDManager(), shape);
        int steps = settings.timedStepsFor(size);
        progress.printf(
            Locale.ROOT, "%d px, batch %d: %d warm-up + %d timed steps per model%n",
            size, batch, settings.warmUpSteps(), steps);
        progress.flush();

        ParameterStore oursStore = new ParameterStore(ours.getNDManager(), false);
        ParameterStore djlStore = new ParameterStore(djl.getNDManager(), false);
        double[][] features =
            sideBySide(
                steps,
                () -> tapsStep(oursBlock, oursStore, oursData),
                () -> inferenceStep(djlBlock, djlStore, djlData));
        double[][] pooled =
            sideBySide(
                steps,
                () -> pooledStep(oursBlock, oursStore, oursData),
                () -> inferenceStep(djlBlock, djlStore, djlData));
        // training last: a few SGD steps on random data leave BN running statistics that make
        // inference-mode activations degenerate (and slow on CPU)
        double[][] train =
            sideBySide(
                steps,
                () -> trainStep(oursTrainer, oursData),
                () -> trainStep(djlTrainer, djlData));
        List<ModelBenchResult> results =
            List.of(
                result(size, "train", train),
                result(size, "features", features),
                result(size, "avgpool", pooled));
        for (ModelBenchResult r : results) {
          progress.printf(
              Locale.ROOT, "  %-8s ours %8.2f img/s   DJL ResNetV1 %8.2f img/s   ratio %.2f%n",
              r.task(), r.oursImagesPerSecond(), r.djlImagesPerSecond(), r.ratio());
        }
        progress.flush();
        oursData.close();
        djlData.close();
        return results;
      }
    }
  }

  private ModelBenchResult result(int size, String task, double[][] seconds) {
    double[] ours = seconds[0];
    double[] djl = seconds[1];
    double[] ratios = new double[ours.length];
    for (int i = 0; i < ours.length; i++) {
      ratios[i] = djl[i] / ours[i];
    }
    int batch = settings.batchSize();
    return new ModelBenchResult(
        size, task, batch / median(ours), batch / median(djl), median(ratios), ours.length);
  }

  /**
   * Warms both up, then alternates timed steps, swapping which model goes first. Returns the
   * seconds of every timed step, {ours[], djl[]}; step i of both ran back to back, so their ratio
   * sees the same background load.
   */
  private double[][] sideBySide(int steps, Runnable ours, Runnable djl) {
    for (int i = 0; i < settings.warmUpSteps(); i++) {
      ours.run();
      djl.run();
    }
    double[][] seconds = new double[2][steps];
    for (int i = 0; i < steps; i++) {
      if (i % 2 == 0) {
        seconds[0][i] = time(ours);
        seconds[1][i] = time(djl);
      } else {
        seconds[1][i] = time(djl);
        seconds[0][i] = time(ours);
      }
    }
    return seconds;
  }

  /** Median, robust to the bursts of other work on a shared machine. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double time(Runnable step) {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static void trainStep(Trainer trainer, Batch data) {
    try (NDManager step = trainer.getManager().newSubManager()) {
      // results attach to their first operand's manager: lend the batch to the step's manager
      // so that everything derived from it dies with the step
      step.tempAttachAll(data.images, data.labels);
      float loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList logits = trainer.forward(new NDList(data.images));
        NDArray value = trainer.getLoss().evaluate(new NDList(data.labels), logits);
        collector.backward(value);
        loss = value.getFloat(); // also waits for an asynchronous device
      }
      trainer.step();
      if (Float.isNaN(loss)) {
        throw new IllegalStateException("training diverged");
      }
    }
  }

  private static void tapsStep(RotNetModel model, ParameterStore store, Batch data) {
    try (NDManager step = data.images.getManager().newSubManager()) {
      step.tempAttachAll(data.images);
      NDList taps = model.backbone().forward(store, new NDList(data.images), false);
      NDList pooled = FeatureTaps.pool(taps);
      sync(pooled.get(pooled.size() - 1));
    }
  }

  private static void pooledStep(RotNetModel model, ParameterStore store, Batch data) {
    try (NDManager step = data.images.getManager().newSubManager()) {
      step.tempAttachAll(data.images);
      NDArray features = model.backbone().forwardPooled(store, data.images, false);
      sync(features);
    }
  }

  private static void inferenceStep(Block block, ParameterStore store, Batch data) {
    try (NDManager step = data.images.getManager().newSubManager()) {
      step.tempAttachAll(data.images);
      NDList out = block.forward(store, new NDList(data.images), false);
      sync(out.head());
    }
  }

  /** Reads one value, which also waits for an asynchronous device to finish the step. */
  private static void sync(NDArray array) {
    array.flatten().getFloat(0);
  }

  private static DefaultTrainingConfig trainingConfig() {
    return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(
            Optimizer.sgd()
                .setLearningRateTracker(Tracker.fixed(0.01f))
                .optMomentum(0.9f)
                .optWeightDecays(1e-4f)
                .build());
  }

  /** Renders results as a markdown table (medians over the timed steps). */
  public static String table(List<ModelBenchResult> results) {
    StringBuilder out = new StringBuilder();
    out.append("| input | task | steps | ours img/s | DJL ResNetV1 img/s | ours / DJL |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    for (ModelBenchResult r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %d px | %s | %d | %.2f | %.2f | %.2f |%n",
              r.size(),
              r.task(),
              r.steps(),
              r.oursImagesPerSecond(),
              r.djlImagesPerSecond(),
              r.ratio()));
    }
    return out.toString();
  }

  /** A fixed random batch with rotation labels 0..3, reused by every step. */
  private record Batch(NDArray images, NDArray labels) implements AutoCloseable {
    static Batch random(NDManager manager, Shape shape) {
      NDArray images = manager.randomNormal(shape);
      NDArray labels = manager.arange(0f, (float) shape.get(0)).mod(4f);
      return new Batch(images, labels);
    }

    @Override
    public void close() {
      images.close();
      labels.close();
    }
  }
}
