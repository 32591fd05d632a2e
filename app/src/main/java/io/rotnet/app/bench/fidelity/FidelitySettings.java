package io.rotnet.app.bench.fidelity;

import io.rotnet.evaluator.blocks.BlockProtocol;
import io.rotnet.trainer.TrainingPreset;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one fidelity run uses.
 *
 * @param data CIFAR-10 as an ImageFolder ({@code train/<class>/}, {@code test/<class>/})
 * @param workDir broker data, checkpoints and the pretext image list
 * @param preset pretext recipe
 * @param trainImages images of {@code train/} the pretext and the classifiers train on
 * @param validationImages other images of {@code train/}, held out to choose the best block
 * @param testImages images of {@code test/} the results are reported on
 * @param classifierEpochs epochs of the per-block classifiers (the reference: 100)
 * @param heads classifiers to train per block
 * @param extractBatch images per forward pass in the evaluation
 * @param seed seed of the splits, the producer's augmentation and the classifiers
 */
public record FidelitySettings(Path data, Path workDir, TrainingPreset preset, int trainImages, int validationImages,
    int testImages, int classifierEpochs, List<BlockProtocol.Head> heads, int extractBatch, long seed) {

  public FidelitySettings {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(preset, "preset");
    heads = List.copyOf(heads);
    if (trainImages < 10 || validationImages < 10 || testImages < 10 || classifierEpochs < 1 || extractBatch < 1
        || heads.isEmpty()) {
      throw new IllegalArgumentException("need >= 10 images per split, >= 1 classifier epoch, a head and a batch");
    }
  }
}
