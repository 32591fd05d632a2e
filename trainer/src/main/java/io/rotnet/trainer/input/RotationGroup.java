package io.rotnet.trainer.input;

import java.util.List;

/**
 * The four rotated views of one crop, ordered by rotation label 0..3.
 *
 * @param sampleId the crop's id, shared by its views
 * @param epoch pass over the dataset the crop belongs to
 * @param indexInEpoch position of the source image in the epoch's order
 * @param datasetSize images per epoch
 * @param views the records, {@code views.get(r)} has rotation {@code r}
 */
public record RotationGroup(
    String sampleId, int epoch, long indexInEpoch, long datasetSize, List<StreamRecord> views) {

  public RotationGroup {
    views = List.copyOf(views);
    if (views.size() != 4) {
      throw new IllegalArgumentException("a rotation group has 4 views, got " + views.size());
    }
    for (int r = 0; r < 4; r++) {
      if (views.get(r).image().getRotation() != r) {
        throw new IllegalArgumentException(
            "view " + r + " has rotation " + views.get(r).image().getRotation());
      }
    }
  }

  /** Fractional epoch when this crop starts being trained on. */
  public double startProgress() {
    return epoch + (double) indexInEpoch / datasetSize;
  }

  /** Fractional epoch once this crop has been trained on. */
  public double endProgress() {
    return epoch + (double) (indexInEpoch + 1) / datasetSize;
  }
}
