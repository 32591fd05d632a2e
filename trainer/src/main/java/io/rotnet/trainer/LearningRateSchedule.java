package io.rotnet.trainer;

import java.util.List;

/**
 * Learning rate as a function of fractional epoch: linear warm-up from {@code warmupStartFactor}
 * times the peak, then step decay at integer epochs. Being a function of epoch progress (not of a
 * step counter) keeps the schedule exact on a stream, where the step count per epoch is not known
 * ahead and records may be dropped.
 *
 * <p>Matches MMCV's {@code StepLrUpdaterHook} with {@code warmup='linear', warmup_by_epoch=True}:
 * during warm-up the decayed rate is scaled by {@code start + (1 - start) * progress / warmup}.
 */
public record LearningRateSchedule(
    double peak,
    double warmupEpochs,
    double warmupStartFactor,
    List<Integer> decayEpochs,
    double decayFactor) {

  public LearningRateSchedule {
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw new IllegalArgumentException("peak learning rate must be positive, got " + peak);
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + warmupEpochs);
    }
    if (!(warmupStartFactor > 0) || warmupStartFactor > 1) {
      throw new IllegalArgumentException(
          "warm-up start factor must be in (0, 1], got " + warmupStartFactor);
    }
    if (!(decayFactor > 0) || decayFactor > 1) {
      throw new IllegalArgumentException("decay factor must be in (0, 1], got " + decayFactor);
    }
    decayEpochs = List.copyOf(decayEpochs);
    for (int i = 0; i < decayEpochs.size(); i++) {
      if (decayEpochs.get(i) <= 0 || (i > 0 && decayEpochs.get(i) <= decayEpochs.get(i - 1))) {
        throw new IllegalArgumentException(
            "decay epochs must be positive and increasing, got " + decayEpochs);
      }
    }
  }

  /** The schedule of a preset, with the peak scaled linearly by the batch size. */
  public static LearningRateSchedule of(TrainingPreset preset) {
    return new LearningRateSchedule(
        preset.peakLearningRate(),
        preset.warmupEpochs(),
        preset.warmupStartFactor(),
        preset.decayEpochs(),
        preset.decayFactor());
  }

  /** Learning rate at {@code epochProgress} (epoch index plus the fraction of it done). */
  public double at(double epochProgress) {
    if (epochProgress < 0 || Double.isNaN(epochProgress)) {
      throw new IllegalArgumentException("epoch progress must be >= 0, got " + epochProgress);
    }
    double rate = peak;
    for (int milestone : decayEpochs) {
      if (epochProgress >= milestone) {
        rate *= decayFactor;
      }
    }
    if (epochProgress < warmupEpochs) {
      rate *= warmupStartFactor + (1 - warmupStartFactor) * (epochProgress / warmupEpochs);
    }
    return rate;
  }
}
