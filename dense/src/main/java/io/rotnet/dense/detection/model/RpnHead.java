package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.rotnet.dense.detection.ops.AnchorGenerator;
import io.rotnet.dense.detection.ops.Boxes;
import io.rotnet.dense.detection.ops.DeltaXywhCoder;
import io.rotnet.dense.detection.ops.HostArrays;
import io.rotnet.dense.detection.ops.MaxIouAssigner;
import io.rotnet.dense.detection.ops.Nms;
import io.rotnet.dense.detection.ops.RandomSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * mmdet 2.x {@code RPNHead}: a 3x3 conv + ReLU shared by every level, then 1x1 convs to A sigmoid
 * objectness logits and 4A DeltaXYWH deltas (stds 1), all N(0, 0.01). Training: anchors inside the
 * allowed border are max-IoU assigned, 256 sampled per image, sigmoid CE and L1 both divided by
 * the batch's sampled count. Proposals: per level the top {@code nmsPre} by score, decoded and
 * clipped, empty boxes dropped, NMS per level, {@code maxPerImage} kept.
 */
final class RpnHead extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final DeltaXywhCoder CODER = new DeltaXywhCoder(new float[] {1, 1, 1, 1});

  private final DetectorConfig.Rpn config;
  private final int padDivisor;
  private final AnchorGenerator[] generators;
  private final Conv2d conv;
  private final Conv2d cls;
  private final Conv2d reg;

  RpnHead(DetectorConfig.Rpn config, DetectorConfig.Anchors anchors, int padDivisor) {
    super(VERSION);
    this.config = config;
    this.padDivisor = padDivisor;
    generators = new AnchorGenerator[anchors.strides().length];
    for (int i = 0; i < generators.length; i++) {
      generators[i] = new AnchorGenerator(anchors.strides()[i], anchors.scales(), anchors.ratios());
    }
    int a = anchors.perLocation();
    conv = addChildBlock("rpn_conv", Convs.normal(config.channels(), 3, 0.01f));
    cls = addChildBlock("rpn_cls", Convs.normal(a, 1, 0.01f));
    reg = addChildBlock("rpn_reg", Convs.normal(4 * a, 1, 0.01f));
  }

  /** Objectness [N, T] and deltas [N, T, 4] over the anchors of every level, in anchor order. */
  Outputs run(ParameterStore store, List<NDArray> levels, boolean training) {
    NDList scores = new NDList();
    NDList deltas = new NDList();
    int[][] sizes = new int[levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      NDArray x = levels.get(l);
      long n = x.getShape().get(0);
      sizes[l] = new int[] {(int) x.getShape().get(2), (int) x.getShape().get(3)};
      NDArray hidden = Convs.relu(Convs.apply(conv, store, x, training));
      // (N, A, H, W) -> (N, H, W, A): mmdet's anchor order
      scores.add(Convs.apply(cls, store, hidden, training).transpose(0, 2, 3, 1).reshape(n, -1));
      deltas.add(
          Convs.apply(reg, store, hidden, training).transpose(0, 2, 3, 1).reshape(n, -1, 4));
    }
    NDArray s = scores.size() == 1 ? scores.get(0) : NDArrays.concat(scores, 1);
    NDArray d = deltas.size() == 1 ? deltas.get(0) : NDArrays.concat(deltas, 1);
    return new Outputs(s, d, sizes);
  }

  /** RPN outputs over all levels; {@code sizes[l]} is level l's (H, W). */
  record Outputs(NDArray scores, NDArray deltas, int[][] sizes) {}

  private float[] anchors(int[][] sizes) {
    float[] all = new float[0];
    for (int l = 0; l < sizes.length; l++) {
      all = Boxes.concat(all, generators[l].gridAnchors(sizes[l][0], sizes[l][1]));
    }
    return all;
  }

  /** {@code loss_rpn_cls} and {@code loss_rpn_bbox}. */
  void losses(Outputs out, DetectionBatch batch, Random random, Map<String, NDArray> losses) {
    float[] anchors = anchors(out.sizes());
    int total = Boxes.count(anchors);
    MaxIouAssigner assigner = assigner(config.assigner());
    RandomSampler sampler = new RandomSampler(config.sampler().num(), config.sampler().posFraction());
    List<Long> sampled = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    List<Long> positives = new ArrayList<>();
    float[] targets = new float[0];
    for (int i = 0; i < batch.size(); i++) {
      DetectionBatch.Image image = batch.images().get(i);
      int[] inside = insideAnchors(out.sizes(), image);
      float[] candidates = Boxes.select(anchors, inside);
      int[] assigned = assigner.assign(candidates, image.boxes()).gtIndex();
      RandomSampler.Sample s = sampler.sample(assigned, random);
      int[] gtOfPositive = new int[s.positives().length];
      for (int k = 0; k < s.positives().length; k++) {
        int p = s.positives()[k];
        sampled.add((long) i * total + inside[p]);
        labels.add(1f);
        positives.add((long) i * total + inside[p]);
        gtOfPositive[k] = assigned[p] - 1;
      }
      for (int q : s.negatives()) {
        sampled.add((long) i * total + inside[q]);
        labels.add(0f);
      }
      targets =
          Boxes.concat(
              targets,
              CODER.encode(
                  Boxes.select(candidates, s.positives()),
                  Boxes.select(image.boxes(), gtOfPositive)));
    }
    NDManager manager = out.scores().getManager();
    float avg = Math.max(sampled.size(), 1);
    NDArray clsLoss;
    if (sampled.isEmpty()) {
      clsLoss = Losses.zero(out.scores());
    } else {
      NDArray logits = out.scores().reshape(-1).get(new NDIndex("{}", index(manager, sampled)));
      NDArray y = toDevice(HostArrays.of(manager, floats(labels), new Shape(labels.size())), logits);
      clsLoss = Losses.scaled(Losses.sigmoidBce(logits, y).sum(), 1f / avg);
    }
    NDArray regLoss;
    if (positives.isEmpty()) {
      regLoss = Losses.zero(out.deltas());
    } else {
      NDArray pred = out.deltas().reshape(-1, 4).get(new NDIndex("{}", index(manager, positives)));
      NDArray t = toDevice(HostArrays.of(manager, targets, new Shape(positives.size(), 4)), pred);
      regLoss = Losses.scaled(pred.sub(t).abs().sum(), 1f / avg);
    }
    losses.put("loss_rpn_cls", clsLoss);
    losses.put("loss_rpn_bbox", regLoss);
  }

  /** Anchors of the image that train: inside the padded extent and the allowed border. */
  private int[] insideAnchors(int[][] sizes, DetectionBatch.Image image) {
    // mmdet's pad_shape: the image padded on its own, before batching
    int padH = roundUp(image.height(), padDivisor);
    int padW = roundUp(image.width(), padDivisor);
    List<Integer> inside = new ArrayList<>();
    int offset = 0;
    for (int l = 0; l < sizes.length; l++) {
      boolean[] flags =
          generators[l].trainable(sizes[l][0], sizes[l][1], padH, padW, image.height(),
              image.width(), config.allowedBorder());
      for (int k = 0; k < flags.length; k++) {
        if (flags[k]) {
          inside.add(offset + k);
        }
      }
      offset += flags.length;
    }
    return inside.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Proposals per image (x1, y1, x2, y2 each), computed on the host without gradients. */
  List<float[]> proposals(Outputs out, DetectionBatch batch, DetectorConfig.Proposals cfg) {
    float[] scores = out.scores().toFloatArray();
    float[] deltas = out.deltas().toFloatArray();
    float[] anchors = anchors(out.sizes());
    int total = Boxes.count(anchors);
    List<float[]> result = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      DetectionBatch.Image image = batch.images().get(i);
      List<float[]> boxes = new ArrayList<>();
      List<float[]> levelScores = new ArrayList<>();
      List<Integer> levelIds = new ArrayList<>();
      int offset = 0;
      for (int l = 0; l < out.sizes().length; l++) {
        int count = out.sizes()[l][0] * out.sizes()[l][1] * generators[l].perLocation();
        int[] top = topK(scores, i * total + offset, count, cfg.nmsPre());
        float[] refs = new float[top.length * 4];
        float[] d = new float[top.length * 4];
        float[] sc = new float[top.length];
        for (int k = 0; k < top.length; k++) {
          int a = offset + top[k];
          System.arraycopy(anchors, 4 * a, refs, 4 * k, 4);
          System.arraycopy(deltas, 4 * (i * total + a), d, 4 * k, 4);
          sc[k] = sigmoid(scores[i * total + a]);
        }
        boxes.add(CODER.decode(refs, d, image.height(), image.width()));
        levelScores.add(sc);
        levelIds.add(l);
        offset += count;
      }
      result.add(nmsOverLevels(boxes, levelScores, cfg));
    }
    return result;
  }

  private static float[] nmsOverLevels(
      List<float[]> boxes, List<float[]> scores, DetectorConfig.Proposals cfg) {
    int n = 0;
    for (float[] s : scores) {
      n += s.length;
    }
    float[] allBoxes = new float[4 * n];
    float[] allScores = new float[n];
    int[] groups = new int[n];
    int kept = 0;
    for (int l = 0; l < boxes.size(); l++) {
      float[] b = boxes.get(l);
      float[] s = scores.get(l);
      for (int k = 0; k < s.length; k++) {
        float w = b[4 * k + 2] - b[4 * k];
        float h = b[4 * k + 3] - b[4 * k + 1];
        if (w > cfg.minBoxSize() && h > cfg.minBoxSize()) {
          System.arraycopy(b, 4 * k, allBoxes, 4 * kept, 4);
          allScores[kept] = s[k];
          groups[kept] = l;
          kept++;
        }
      }
    }
    float[] bx = java.util.Arrays.copyOf(allBoxes, 4 * kept);
    int[] keep =
        Nms.batched(bx, java.util.Arrays.copyOf(allScores, kept),
            java.util.Arrays.copyOf(groups, kept), cfg.nmsIou(), cfg.maxPerImage());
    return Boxes.select(bx, keep);
  }

  /** Indices (relative to {@code from}) of the {@code k} largest of {@code values[from, from + n)}. */
  static int[] topK(float[] values, int from, int n, int k) {
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    if (k > 0 && k < n) {
      java.util.Arrays.sort(order, (a, b) -> Float.compare(values[from + b], values[from + a]));
      order = java.util.Arrays.copyOf(order, k);
    }
    return java.util.Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  static MaxIouAssigner assigner(DetectorConfig.Assigner a) {
    return new MaxIouAssigner(a.posIou(), a.negIou(), a.minPosIou(), a.matchLowQuality());
  }

  static NDArray index(NDManager manager, List<Long> indices) {
    long[] out = new long[indices.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = indices.get(i);
    }
    return HostArrays.of(manager, out);
  }

  static NDArray toDevice(NDArray x, NDArray like) {
    return x.toDevice(like.getDevice(), false);
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  private static int roundUp(int v, int divisor) {
    return (v + divisor - 1) / divisor * divisor;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    Outputs out = run(store, inputs, training);
    return new NDList(out.scores(), out.deltas());
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = Convs.init(conv, manager, dataType, inputShapes[0]);
    cls.initialize(manager, dataType, s);
    reg.initialize(manager, dataType, s);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[0];
  }
}
