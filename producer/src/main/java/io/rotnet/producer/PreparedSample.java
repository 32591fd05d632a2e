package io.rotnet.producer;

import io.rotnet.producer.source.SourceEntry;
import java.util.List;

/** The outcome of preparing one source image for one epoch: four record values, or a refusal. */
public sealed interface PreparedSample {

  /** Position of the source image in the source (not in the epoch). */
  int sourceIndex();

  SourceEntry entry();

  /**
   * The four rotated views as serialized record values, rotation 0..3 in order, all keyed by
   * {@code key}; {@code pixelBytes} counts their pixel fields.
   */
  record Views(
      int sourceIndex,
      SourceEntry entry,
      String key,
      int epoch,
      long indexInEpoch,
      List<byte[]> values,
      long pixelBytes)
      implements PreparedSample {
    public Views {
      values = List.copyOf(values);
    }
  }

  /** The image could not be used; the reason and first bytes go to the dead-letter topic. */
  record Refused(int sourceIndex, SourceEntry entry, String reason, byte[] excerpt)
      implements PreparedSample {}
}
