package io.rotnet.dense.detection.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.RgbPlanes;
import io.rotnet.dense.detection.model.DetectionBatch;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detector;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.nn.FineTuning;
import io.rotnet.dense.segmentation.FineTuneState;
import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.model.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a detector from a checkpoint's ResNet and hands the trained detector to a scorer:
 * batches of the preset's images per iteration drawn from epoch-by-epoch seeded permutations (so
 * (seed, iteration) fixes each step), a short side drawn from the preset's values and a flip per
 * image, masks following the image. The state (parameters, momentum, iteration) is saved every
 * {@code checkpointEvery} iterations and a later run with the same key resumes it; it is deleted
 * once the score is known.
 */
public final class DetectionFineTune {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionFineTune.class);

  /** The training images of a dataset, by index. */
  public interface TrainingSet {
    int size();

    Example example(int index);
  }

  /**
   * One training image and its ground truth in the image's pixels.
   *
   * @param boxes (x1, y1, x2, y2) per object
   * @param labels 0-based class per object
   * @param masks per object a row-major [height, width] bitmap, or {@code null} without masks
   */
  public record Example(RgbPlanes image, float[] boxes, int[] labels, List<boolean[]> masks) {}

  /** Scores the trained detector on held-out images. */
  public interface Scorer<R> {
    R score(DetectionTrainer trainer) throws IOException;
  }

  /** Receives the scores taken during training. */
  public interface Progress<R> {
    void scored(int iteration, R score);
  }

  /** The score, the iterations trained and the one a saved state resumed from (0 if none). */
  public record Outcome<R>(R score, int iterations, int resumedFrom) {}

  private final DetectorConfig config;
  private final TrainingSet data;
  private final long seed;
  private final Path stateFile;
  private final String stateKey;
  private final int checkpointEvery;
  private int stopAt;
  private ProgressListener listener = ProgressListener.NONE;
  private String run = "";

  public DetectionFineTune(DetectorConfig config, TrainingSet data, long seed, Path stateFile, String stateKey,
      int checkpointEvery) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("no training images with objects to fine-tune " + config.name() + " on");
    }
    this.config = config;
    this.data = data;
    this.seed = seed;
    this.stateFile = stateFile;
    this.stateKey = stateKey;
    this.checkpointEvery = checkpointEvery;
  }

  /** Stops after this many iterations in total, saving the state (an interruption, for tests). */
  public DetectionFineTune stopAt(int iteration) {
    this.stopAt = iteration;
    return this;
  }

  /** Reports the losses, learning rate and speed as {@code run} every 20 iterations. */
  public DetectionFineTune reportTo(ProgressListener listener, String run) {
    this.listener = listener;
    this.run = run;
    return this;
  }

  /** Trains and scores; null when stopped early by {@link #stopAt} (the state is saved). */
  public <R> Outcome<R> run(ResNet pretrained, NDManager parent, Scorer<R> scorer) throws IOException {
    return run(pretrained, parent, scorer, 0, null);
  }

  /**
   * As {@link #run(ResNet, NDManager, Scorer)}, also scoring before the first iteration and after
   * every {@code scoreEvery} (a learning curve; 0 for none).
   */
  public <R> Outcome<R> run(ResNet pretrained, NDManager parent, Scorer<R> scorer, int scoreEvery,
      Progress<R> progress) throws IOException {
    try (NDManager manager = parent.newSubManager()) {
      Engine.getInstance().setRandomSeed((int) seed);
      Detector detector = Detector.of(config);
      try (DetectionTrainer trainer = new DetectionTrainer(detector, manager, seed)) {
        FineTuneState saved = stateFile == null ? null : FineTuneState.read(stateFile, stateKey);
        int start = 0;
        if (saved != null) {
          FineTuning.load(detector.block(), saved.parameters(), manager);
          trainer.resume(saved.iteration(), saved.momentum());
          start = saved.iteration();
          LOG.info("resuming {} at iteration {} of {}", config.name(), start, config.schedule().maxIterations());
        } else {
          FineTuning.load(detector.backbone(), FineTuning.save(pretrained), manager);
        }
        FineTuning.requireGradients(detector.block());
        int total = config.schedule().maxIterations();
        int end = stopAt > 0 ? Math.min(stopAt, total) : total;
        long started = System.nanoTime();
        if (scoreEvery > 0 && start == 0) {
          progress.scored(0, scorer.score(trainer));
        }
        for (int it = start; it < end; it++) {
          Map<String, Float> losses = trainer.step(trainBatch(it));
          if ((it + 1) % 20 == 0 || it == start || it + 1 == end) {
            double perIteration = (System.nanoTime() - started) / 1e9 / (it + 1 - start);
            int images = config.data().imagesPerIteration();
            listener.report(run, it + 1, (long) (it + 1) * images, losses.get("loss"),
                config.schedule().learningRate(it), images / perIteration);
            LOG.info("{} iteration {}/{}: {} lr {} eta {} s", config.name(), it + 1, end, losses,
                String.format(Locale.ROOT, "%.6f", config.schedule().learningRate(it)),
                String.format(Locale.ROOT, "%.0f", perIteration * (end - it - 1)));
          }
          boolean interrupted = it + 1 == end && end < total;
          if (stateFile != null && ((it + 1) % checkpointEvery == 0 && it + 1 < total || interrupted)) {
            new FineTuneState(stateKey, it + 1, FineTuning.save(detector.block()), trainer.momentumState()).write(stateFile);
          }
          if (scoreEvery > 0 && (it + 1) % scoreEvery == 0 && it + 1 < total) {
            progress.scored(it + 1, scorer.score(trainer));
          }
        }
        if (end < total) {
          return null;
        }
        R score = scorer.score(trainer);
        if (stateFile != null) {
          Files.deleteIfExists(stateFile);
        }
        return new Outcome<>(score, end, start);
      }
    }
  }

  private DetectionBatch trainBatch(int iteration) {
    int b = config.data().imagesPerIteration();
    Random random = new Random(seed * 104729 + iteration);
    List<DetectionPipeline.Resized> images = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    List<List<float[]>> masks = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      int position = iteration * b + i;
      int[] order = FineTuning.permutation(data.size(), seed * 7 + position / data.size());
      Example example = data.example(order[position % data.size()]);
      int[] sides = config.data().trainShortSides();
      int side = sides[random.nextInt(sides.length)];
      boolean flip = random.nextFloat() < config.data().flipRatio();
      RgbPlanes p = example.image();
      DetectionPipeline.Resized r =
          DetectionPipeline.resize(p.rgb(), p.width(), p.height(), example.boxes(), side, config.data().maxLongSide(), flip);
      images.add(r);
      labels.add(example.labels());
      if (example.masks() != null) {
        List<float[]> resized = new ArrayList<>();
        for (boolean[] mask : example.masks()) {
          resized.add(DetectionPipeline.resizeMask(mask, p.width(), p.height(), r.width(), r.height(), flip));
        }
        masks.add(resized);
      }
    }
    return DetectionPipeline.batch(images, labels, masks.isEmpty() ? null : masks, config.data().padDivisor());
  }
}
