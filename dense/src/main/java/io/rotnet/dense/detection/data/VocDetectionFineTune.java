package io.rotnet.dense.detection.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.rotnet.dense.data.VocDetection;
import io.rotnet.dense.detection.model.DetectionBatch;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detections;
import io.rotnet.dense.detection.model.Detector;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.metrics.VocDetectionAp;
import io.rotnet.dense.segmentation.FineTuneState;
import io.rotnet.evaluator.dataset.DatasetException;
import io.rotnet.model.ResNet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a detector from a checkpoint's ResNet on VOC training images and scores VOC07
 * 11-point AP50 on the test images: batches of the preset's images per iteration drawn from
 * epoch-by-epoch seeded permutations (so (seed, iteration) fixes each step), a short side drawn
 * from the preset's values and a flip per image, difficult boxes left out of training. The state
 * (parameters, momentum, iteration) is saved every {@code checkpointEvery} iterations and a later
 * run with the same key resumes it. Test images are resized to the test short side, detections
 * mapped back to the original pixels.
 */
public final class VocDetectionFineTune {
  private static final Logger LOG = LoggerFactory.getLogger(VocDetectionFineTune.class);

  /**
   * AP50 per class (NaN without ground truth) and its mean, AP75, AP (mean over IoU 0.50:0.05:0.95,
   * as detectron2's VOC evaluator reports it), and the iterations trained.
   */
  public record Result(VocDetectionAp.Result ap50, double ap75, double ap, int iterations, int resumedFrom) {}

  private final DetectorConfig config;
  private final VocDetection data;
  private final long seed;
  private final Path stateFile;
  private final String stateKey;
  private final int checkpointEvery;
  private int stopAt;

  public VocDetectionFineTune(DetectorConfig config, VocDetection data, long seed, Path stateFile, String stateKey,
      int checkpointEvery) {
    this.config = config;
    this.data = data;
    this.seed = seed;
    this.stateFile = stateFile;
    this.stateKey = stateKey;
    this.checkpointEvery = checkpointEvery;
  }

  /** Stops after this many iterations in total, saving the state (an interruption, for tests). */
  public VocDetectionFineTune stopAt(int iteration) {
    this.stopAt = iteration;
    return this;
  }

  /** Trains and evaluates; null when stopped early by {@link #stopAt} (the state is saved). */
  public Result run(ResNet pretrained, NDManager parent) throws IOException {
    try (NDManager manager = parent.newSubManager()) {
      Engine.getInstance().setRandomSeed((int) seed);
      Detector detector = Detector.of(config);
      try (DetectionTrainer trainer = new DetectionTrainer(detector, manager, seed)) {
        FineTuneState saved = stateFile == null ? null : FineTuneState.read(stateFile, stateKey);
        int start = 0;
        if (saved != null) {
          load(detector.block(), saved.parameters(), manager);
          trainer.resume(saved.iteration(), saved.momentum());
          start = saved.iteration();
          LOG.info("resuming {} at iteration {} of {}", config.name(), start, config.schedule().maxIterations());
        } else {
          load(detector.backbone(), save(pretrained), manager);
        }
        requireGradients(detector.block());
        int total = config.schedule().maxIterations();
        int end = stopAt > 0 ? Math.min(stopAt, total) : total;
        long started = System.nanoTime();
        for (int it = start; it < end; it++) {
          Map<String, Float> losses = trainer.step(trainBatch(it));
          if ((it + 1) % 20 == 0 || it == start || it + 1 == end) {
            double perIteration = (System.nanoTime() - started) / 1e9 / (it + 1 - start);
            LOG.info("{} iteration {}/{}: {} lr {} eta {} s", config.name(), it + 1, end, losses,
                String.format(Locale.ROOT, "%.6f", config.schedule().learningRate(it)),
                String.format(Locale.ROOT, "%.0f", perIteration * (end - it - 1)));
          }
          boolean interrupted = it + 1 == end && end < total;
          if (stateFile != null && ((it + 1) % checkpointEvery == 0 && it + 1 < total || interrupted)) {
            new FineTuneState(stateKey, it + 1, save(detector.block()), trainer.momentumState()).write(stateFile);
          }
        }
        if (end < total) {
          return null;
        }
        VocDetectionAp.Result[] ap = evaluate(trainer);
        if (stateFile != null) {
          Files.deleteIfExists(stateFile);
        }
        double mean = 0;
        for (VocDetectionAp.Result r : ap) {
          mean += r.meanAp() / ap.length;
        }
        return new Result(ap[0], ap[5].meanAp(), mean, end, start);
      }
    }
  }

  private DetectionBatch trainBatch(int iteration) {
    int b = config.data().imagesPerIteration();
    Random random = new Random(seed * 104729 + iteration);
    List<DetectionPipeline.Resized> images = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    List<VocDetection.VocImage> train = data.train();
    for (int i = 0; i < b; i++) {
      int position = iteration * b + i;
      int[] order = permutation(train.size(), seed * 7 + position / train.size());
      VocDetection.VocImage image = train.get(order[position % train.size()]);
      int[] sides = config.data().trainShortSides();
      int side = sides[random.nextInt(sides.length)];
      boolean flip = random.nextFloat() < config.data().flipRatio();
      List<VocDetection.VocObject> regular = image.objects().stream().filter(o -> !o.difficult()).toList();
      float[] boxes = new float[4 * regular.size()];
      int[] l = new int[regular.size()];
      for (int k = 0; k < regular.size(); k++) {
        VocDetection.VocObject o = regular.get(k);
        boxes[4 * k] = o.x1();
        boxes[4 * k + 1] = o.y1();
        boxes[4 * k + 2] = o.x2();
        boxes[4 * k + 3] = o.y2();
        l[k] = o.label();
      }
      Planes p = read(image.image());
      images.add(DetectionPipeline.resize(p.rgb, p.width, p.height, boxes, side, config.data().maxLongSide(), flip));
      labels.add(l);
    }
    return DetectionPipeline.batch(images, labels, null, config.data().padDivisor());
  }

  private VocDetectionAp.Result[] evaluate(DetectionTrainer trainer) {
    VocDetectionAp[] ap = new VocDetectionAp[10];
    for (int t = 0; t < ap.length; t++) {
      ap[t] = new VocDetectionAp(config.numClasses(), 0.5f + 0.05f * t);
    }
    for (VocDetection.VocImage image : data.test()) {
      Planes p = read(image.image());
      DetectionPipeline.Resized r = DetectionPipeline.resize(p.rgb, p.width, p.height, new float[0],
          config.data().testShortSide(), config.data().maxLongSide(), false);
      Detections d = trainer.detect(DetectionPipeline.batch(List.of(r), List.of(new int[0]), null,
          config.data().padDivisor())).get(0);
      List<VocDetectionAp.Detection> dets = new ArrayList<>();
      for (int k = 0; k < d.size(); k++) {
        float[] b = d.boxes();
        dets.add(new VocDetectionAp.Detection(d.labels()[k], b[4 * k] / r.scaleX(), b[4 * k + 1] / r.scaleY(),
            b[4 * k + 2] / r.scaleX(), b[4 * k + 3] / r.scaleY(), d.scores()[k]));
      }
      List<VocDetectionAp.GroundTruth> gts = new ArrayList<>();
      for (VocDetection.VocObject o : image.objects()) {
        gts.add(new VocDetectionAp.GroundTruth(o.label(), o.x1(), o.y1(), o.x2(), o.y2(), o.difficult()));
      }
      for (VocDetectionAp a : ap) {
        a.addImage(dets, gts);
      }
    }
    VocDetectionAp.Result[] out = new VocDetectionAp.Result[ap.length];
    for (int t = 0; t < ap.length; t++) {
      out[t] = ap[t].result();
    }
    return out;
  }

  private record Planes(float[][] rgb, int width, int height) {}

  private static Planes read(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new DatasetException("image " + file + " does not decode: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new DatasetException("image " + file + " is not a readable image");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[][] rgb = new float[3][w * h];
    for (int i = 0; i < argb.length; i++) {
      rgb[0][i] = (argb[i] >> 16) & 0xff;
      rgb[1][i] = (argb[i] >> 8) & 0xff;
      rgb[2][i] = argb[i] & 0xff;
    }
    return new Planes(rgb, w, h);
  }

  private static int[] permutation(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static void requireGradients(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
  }

  private static byte[] save(Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  private static void load(Block block, byte[] parameters, NDManager manager) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
      block.loadParameters(manager, in);
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("parameters do not fit the detector: " + e.getMessage(), e);
    }
  }
}
