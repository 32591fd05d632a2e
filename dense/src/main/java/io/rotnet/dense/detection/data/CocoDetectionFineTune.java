package io.rotnet.dense.detection.data;

import ai.djl.ndarray.NDManager;
import io.rotnet.dense.data.CocoDetection;
import io.rotnet.dense.data.CocoInstances;
import io.rotnet.dense.data.RgbPlanes;
import io.rotnet.dense.detection.model.DetectionTrainer;
import io.rotnet.dense.detection.model.Detections;
import io.rotnet.dense.detection.model.DetectorConfig;
import io.rotnet.dense.metrics.CocoEval;
import io.rotnet.dense.metrics.Rle;
import io.rotnet.evaluator.plugin.ProgressListener;
import io.rotnet.model.ResNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes Mask R-CNN on COCO train2017 ({@link DetectionFineTune}) and scores COCOeval bbox
 * and segm on val2017, as mmdet 2.x's {@code CocoDataset} prepares and scores it:
 *
 * <ul>
 *   <li>training images have at least one annotation and both sides of 32 px or more ({@code
 *       _filter_imgs}); annotations with {@code w < 1}, {@code h < 1} or no area are dropped,
 *       crowd regions are not trained on ({@code gt_bboxes_ignore}), boxes are {@code [x, y, x +
 *       w, y + h]}, masks the union of the polygons (or the RLE) at the image's size;
 *   <li>labels are category ids in ascending order (mmdet's {@code cat2label});
 *   <li>every val2017 image is detected; boxes go back to the original pixels and out as {@code
 *       [x1, y1, x2 - x1, y2 - y1]}, masks are pasted at the original size ({@code rescale=True})
 *       and run-length encoded.
 * </ul>
 */
public final class CocoDetectionFineTune {
  private static final Logger LOG = LoggerFactory.getLogger(CocoDetectionFineTune.class);
  private static final int MIN_SIZE = 32;

  /** COCOeval's 12 numbers for boxes and for masks, and the iterations trained. */
  public record Result(CocoEval.Stats bbox, CocoEval.Stats segm, int iterations, int resumedFrom) {}

  private final DetectorConfig config;
  private final CocoDetection data;
  private final int[] categoryIds;
  private final DetectionFineTune fineTune;

  public CocoDetectionFineTune(DetectorConfig config, CocoDetection data, long seed, Path stateFile, String stateKey,
      int checkpointEvery) {
    this.config = config;
    this.data = data;
    this.categoryIds = sortedCategories(data.train());
    if (categoryIds.length != config.numClasses()) {
      throw new IllegalArgumentException(config.name() + " has " + config.numClasses() + " classes, "
          + data.name() + " has " + categoryIds.length + " categories");
    }
    Training training = Training.of(data, categoryIds);
    LOG.info("{}: {} of {} training images have objects and sides of {} px or more", data.name(),
        training.images().size(), data.train().images().size(), MIN_SIZE);
    this.fineTune = new DetectionFineTune(config, training, seed, stateFile, stateKey, checkpointEvery);
  }

  /** Stops after this many iterations in total, saving the state (an interruption, for tests). */
  public CocoDetectionFineTune stopAt(int iteration) {
    fineTune.stopAt(iteration);
    return this;
  }

  /** Reports the losses, learning rate and speed as {@code run} every 20 iterations. */
  public CocoDetectionFineTune reportTo(ProgressListener listener, String run) {
    fineTune.reportTo(listener, run);
    return this;
  }

  /** Trains and evaluates; null when stopped early by {@link #stopAt} (the state is saved). */
  public Result run(ResNet pretrained, NDManager parent) throws IOException {
    return run(pretrained, parent, 0, null);
  }

  /** As {@link #run(ResNet, NDManager)}, also scoring at iteration 0 and every {@code scoreEvery}. */
  public Result run(ResNet pretrained, NDManager parent, int scoreEvery, Consumer<Result> curve) throws IOException {
    DetectionFineTune.Outcome<CocoEval.Stats[]> outcome = fineTune.run(pretrained, parent, this::evaluate, scoreEvery,
        (iteration, stats) -> curve.accept(new Result(stats[0], stats[1], iteration, 0)));
    return outcome == null ? null
        : new Result(outcome.score()[0], outcome.score()[1], outcome.iterations(), outcome.resumedFrom());
  }

  static int[] sortedCategories(CocoInstances instances) {
    int[] ids = instances.categoryIds();
    Arrays.sort(ids);
    return ids;
  }

  private record Training(CocoDetection data, List<CocoInstances.Image> images,
      Map<Long, List<CocoInstances.Annotation>> objects, Map<Integer, Integer> labelOf)
      implements DetectionFineTune.TrainingSet {

    static Training of(CocoDetection data, int[] categoryIds) {
      Map<Integer, Integer> labelOf = new HashMap<>();
      for (int i = 0; i < categoryIds.length; i++) {
        labelOf.put(categoryIds[i], i);
      }
      Map<Long, List<CocoInstances.Annotation>> objects = new HashMap<>();
      for (CocoInstances.Annotation a : data.train().annotations()) {
        if (!a.crowd() && a.bbox()[2] >= 1 && a.bbox()[3] >= 1 && a.area() > 0 && labelOf.containsKey(a.categoryId())
            && a.segmentation() != null) {
          objects.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
        }
      }
      List<CocoInstances.Image> images = data.train().images().values().stream()
          .filter(i -> objects.containsKey(i.id()) && Math.min(i.width(), i.height()) >= MIN_SIZE)
          .toList();
      return new Training(data, images, objects, labelOf);
    }

    @Override
    public int size() {
      return images.size();
    }

    @Override
    public DetectionFineTune.Example example(int index) {
      CocoInstances.Image image = images.get(index);
      List<CocoInstances.Annotation> annotations = objects.get(image.id());
      float[] boxes = new float[4 * annotations.size()];
      int[] labels = new int[annotations.size()];
      List<boolean[]> masks = new ArrayList<>();
      for (int k = 0; k < annotations.size(); k++) {
        CocoInstances.Annotation a = annotations.get(k);
        double[] b = a.bbox();
        boxes[4 * k] = (float) b[0];
        boxes[4 * k + 1] = (float) b[1];
        boxes[4 * k + 2] = (float) (b[0] + b[2]);
        boxes[4 * k + 3] = (float) (b[1] + b[3]);
        labels[k] = labelOf.get(a.categoryId());
        masks.add(a.segmentation().toRle(image.height(), image.width()).decodeRowMajor());
      }
      return new DetectionFineTune.Example(RgbPlanes.read(data.imageFile(true, image)), boxes, labels, masks);
    }
  }

  private CocoEval.Stats[] evaluate(DetectionTrainer trainer) {
    CocoInstances val = data.val();
    List<CocoEval.Detection> boxes = new ArrayList<>();
    List<CocoEval.Detection> masks = new ArrayList<>();
    int done = 0;
    for (CocoInstances.Image image : val.images().values()) {
      RgbPlanes planes = RgbPlanes.read(data.imageFile(false, image));
      TestView view = TestView.of(planes, config);
      Detections d = view.detect(trainer);
      for (int k = 0; k < d.size(); k++) {
        float[] b = view.originalBox(d, k);
        int category = categoryIds[d.labels()[k]];
        boxes.add(new CocoEval.Detection(image.id(), category, new double[] {b[0], b[1], b[2] - b[0], b[3] - b[1]},
            d.scores()[k], null));
        float[] bitmap = d.mask(k, planes.height(), planes.width(), view.resized().scaleX(), view.resized().scaleY(),
            config.test().maskThreshold());
        boolean[] binary = new boolean[bitmap.length];
        for (int i = 0; i < bitmap.length; i++) {
          binary[i] = bitmap[i] > 0;
        }
        masks.add(new CocoEval.Detection(image.id(), category, null, d.scores()[k],
            Rle.encodeRowMajor(binary, planes.height(), planes.width())));
      }
      if (++done % 500 == 0) {
        LOG.info("{} detected {}/{} val images", config.name(), done, val.images().size());
      }
    }
    long[] imageIds = val.imageIds();
    int[] categories = sortedCategories(val);
    CocoEval.Stats bbox = new CocoEval(CocoEval.IouType.BBOX).evaluate(val.groundTruth(false), boxes, imageIds, categories);
    CocoEval.Stats segm = new CocoEval(CocoEval.IouType.SEGM).evaluate(val.groundTruth(true), masks, imageIds, categories);
    return new CocoEval.Stats[] {bbox, segm};
  }
}
