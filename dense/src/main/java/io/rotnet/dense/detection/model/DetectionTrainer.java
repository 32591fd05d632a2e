package io.rotnet.dense.detection.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.rotnet.dense.detection.ops.HostArrays;
import io.rotnet.model.GradMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a {@link Detector} as mmdet's runner does: the sum of the losses, one backward, then
 * torch SGD ({@code g += wd w; buf = m buf + g; w -= lr buf}) on every parameter, BN and biases
 * included, at the schedule's learning rate for the iteration (linear warm-up, steps).
 */
public final class DetectionTrainer implements AutoCloseable {

  private final Detector detector;
  private final NDManager manager;
  private final NDManager state;
  private final ParameterStore store;
  private final long seed;
  private final Map<String, NDArray> momentum = new LinkedHashMap<>();
  private int iteration;

  /**
   * @param detector the model; initialised here when it is not yet
   * @param manager owns the parameters
   * @param seed with the iteration, seeds the samplers of each step
   */
  public DetectionTrainer(Detector detector, NDManager manager, long seed) {
    GradMode.disableOnThisThread();
    this.detector = detector;
    this.manager = manager;
    this.state = manager.newSubManager();
    this.store = new ParameterStore(manager, false);
    this.seed = seed;
    if (!detector.block().isInitialized()) {
      detector.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
    }
    for (Pair<String, Parameter> p : detector.block().getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
  }

  public int iteration() {
    return iteration;
  }

  /** Every momentum buffer by parameter name, for a saved training state. */
  public Map<String, float[]> momentumState() {
    Map<String, float[]> out = new LinkedHashMap<>();
    momentum.forEach((name, buffer) -> out.put(name, buffer.toFloatArray()));
    return out;
  }

  /**
   * Continues a saved training state: the iteration reached and the momentum buffers (the
   * parameters are loaded into the detector's block by the caller). The samplers' draws derive
   * from (seed, iteration), so the resumed run repeats the uninterrupted one's steps.
   */
  public void resume(int reachedIteration, Map<String, float[]> buffers) {
    for (Pair<String, Parameter> p : detector.block().getParameters()) {
      float[] values = buffers.get(p.getKey());
      if (values != null) {
        NDArray weight = p.getValue().getArray();
        momentum.put(p.getKey(), state.create(values, weight.getShape()));
      }
    }
    this.iteration = reachedIteration;
  }

  /** One iteration on {@code batch}; returns each loss and their sum ({@code loss}). */
  public Map<String, Float> step(DetectionBatch batch) {
    float lr = detector.config().schedule().learningRate(iteration);
    Map<String, Float> values = new LinkedHashMap<>();
    try (NDManager step = manager.newSubManager()) {
      NDArray images = images(step, batch);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Random random = new Random(seed * 7919 + iteration);
        Map<String, NDArray> losses = detector.losses(store, images, batch, random);
        NDArray total = null;
        for (Map.Entry<String, NDArray> e : losses.entrySet()) {
          total = total == null ? e.getValue() : total.add(e.getValue());
        }
        collector.backward(total);
        for (Map.Entry<String, NDArray> e : losses.entrySet()) {
          values.put(e.getKey(), e.getValue().getFloat());
        }
        values.put("loss", total.getFloat());
      }
      if (!Float.isFinite(values.get("loss"))) {
        throw new IllegalStateException("detector training diverged at iteration " + iteration + ": " + values);
      }
      update(lr);
    }
    iteration++;
    return values;
  }

  /** Inference-mode detections of the batch's images. */
  public List<Detections> detect(DetectionBatch batch) {
    try (NDManager step = manager.newSubManager()) {
      return detector.detect(store, images(step, batch), batch);
    }
  }

  private static NDArray images(NDManager manager, DetectionBatch batch) {
    return HostArrays.of(
        manager, batch.pixels(), new Shape(batch.size(), 3, batch.padHeight(), batch.padWidth()));
  }

  private void update(float lr) {
    DetectorConfig.Schedule schedule = detector.config().schedule();
    for (Pair<String, Parameter> p : detector.block().getParameters()) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient()) {
        continue;
      }
      NDArray weight = parameter.getArray();
      NDArray buffer =
          momentum.computeIfAbsent(
              p.getKey(),
              k -> state.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()));
      try (NDArray grad = weight.getGradient()) {
        if (schedule.weightDecay() != 0f) {
          try (NDArray decay = weight.mul(schedule.weightDecay())) {
            grad.addi(decay);
          }
        }
        buffer.muli(schedule.momentum()).addi(grad);
        try (NDArray delta = buffer.mul(lr)) {
          weight.subi(delta);
        }
        grad.subi(grad); // PyTorch accumulates gradients across backward passes
      }
    }
  }

  @Override
  public void close() {
    state.close();
  }
}
