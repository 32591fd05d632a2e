package io.rotnet.dense.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.rotnet.model.ResNet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A two-stage detector: backbone (initialised from a checkpoint) + RPN + RoI heads. */
public interface Detector {

  DetectorConfig config();

  /** The block holding every parameter, backbone included. */
  Block block();

  /** The backbone, whose parameters a checkpoint's ResNet provides. */
  ResNet backbone();

  /**
   * The training losses of one batch, by mmdet's names, in training mode (BN updates its
   * statistics); {@code random} drives the samplers.
   */
  Map<String, NDArray> losses(
      ParameterStore store, NDArray images, DetectionBatch batch, Random random);

  /** Inference-mode detections of each image of the batch, in the batch's pixels. */
  List<Detections> detect(ParameterStore store, NDArray images, DetectionBatch batch);

  /** The detector a config describes. */
  static Detector of(DetectorConfig config) {
    return config.architecture() == DetectorConfig.Architecture.C4
        ? new FasterRcnnC4(config)
        : new MaskRcnnFpn(config);
  }
}
